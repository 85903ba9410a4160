using System.Collections;
using System.Runtime.CompilerServices;

namespace StorageHa.Shared.State;

/// <summary>
/// An immutable list that compares by its items, so records holding lists (a cluster state, a failover) are equal
/// when their contents are: the diff and the render → parse tests rely on it.
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    public static readonly ValueList<T> Empty = new([]);

    private readonly T[] _items;

    internal ValueList(T[] items) => _items = items;

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public bool Equals(ValueList<T>? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other._items.Length != _items.Length) return false;
        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
            if (!comparer.Equals(_items[i], other._items[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_items.Length);
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _items) + "]";

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}

public static class ValueList
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) =>
        items.IsEmpty ? ValueList<T>.Empty : new ValueList<T>(items.ToArray());

    public static ValueList<T> ToValueList<T>(this IEnumerable<T> items)
    {
        var array = items.ToArray();
        return array.Length == 0 ? ValueList<T>.Empty : new ValueList<T>(array);
    }
}
