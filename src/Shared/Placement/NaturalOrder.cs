namespace StorageHa.Shared.Placement;

/// <summary>
/// Orders names the way an admin counts them (node2 before node10, 10.0.0.9 before 10.0.0.10): the join order
/// placement assumes when none is given, right for clusters whose nodes are numbered as they join.
/// </summary>
public sealed class NaturalOrder : IComparer<string>
{
    public static readonly NaturalOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var (si, sj) = (i, j);
                while (i < x.Length && x[i] == '0') i++;
                while (j < y.Length && y[j] == '0') j++;
                var (di, dj) = (i, j);
                while (i < x.Length && char.IsAsciiDigit(x[i])) i++;
                while (j < y.Length && char.IsAsciiDigit(y[j])) j++;
                var byLength = (i - di).CompareTo(j - dj);
                if (byLength != 0) return byLength;
                var byDigits = string.CompareOrdinal(x, di, y, dj, i - di);
                if (byDigits != 0) return byDigits;
                // Same number written with different leading zeros: fewer zeros first, so the order stays total.
                var byZeros = (di - si).CompareTo(dj - sj);
                if (byZeros != 0) return byZeros;
                continue;
            }
            if (x[i] != y[j]) return x[i].CompareTo(y[j]);
            i++;
            j++;
        }
        return (x.Length - i).CompareTo(y.Length - j);
    }
}
