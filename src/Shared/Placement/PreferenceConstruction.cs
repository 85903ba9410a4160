namespace StorageHa.Shared.Placement;

/// <summary>
/// Builds every VIP's preference order over nodes 0..n-1 (numbered in join order), so that "first online
/// node in the order" is balanced whatever fails.
/// <para>First choices are built node by node in join order: each node, as it joins, takes VIPs from the
/// busiest earlier nodes until no node has two more than it. So the first choices over nodes 0..k are the
/// first choices over 0..k-1 plus what node k took: a node joining the cluster moves only the VIPs it needs.</para>
/// <para>Later choices are filled level by level: the VIPs whose first ℓ choices are the same set F all move
/// when exactly F fails, so each of them goes, one at a time, to the least loaded survivor of that failure;
/// ties go to the node that has taken fewest VIPs at this level so far (which keeps the deeper failures even),
/// then to the next node around the ring.</para>
/// </summary>
internal static class PreferenceConstruction
{
    public const int MaxNodes = 64;

    /// <param name="nodeCount">Nodes, numbered in join order.</param>
    /// <param name="allowed">Per VIP (in address order), which nodes may run it.</param>
    public static int[][] Build(int nodeCount, IReadOnlyList<bool[]> allowed)
    {
        if (nodeCount > MaxNodes) throw new ArgumentOutOfRangeException(nameof(nodeCount), $"at most {MaxNodes} nodes");
        var vipCount = allowed.Count;
        var primary = FirstChoices(nodeCount, allowed);
        var lists = new List<int>[vipCount];
        var byPrimary = new List<int>[nodeCount];
        for (var n = 0; n < nodeCount; n++) byPrimary[n] = [];
        var load = new int[nodeCount];
        for (var v = 0; v < vipCount; v++)
        {
            lists[v] = new List<int>(nodeCount);
            if (primary[v] < 0) continue;
            lists[v].Add(primary[v]);
            byPrimary[primary[v]].Add(v);
            load[primary[v]]++;
        }

        var counts = new int[nodeCount];
        var levelLoad = new int[nodeCount];
        var allowedCount = allowed.Select(a => a.Count(x => x)).ToArray();
        for (var level = 1; level < Math.Min(nodeCount, DesignedDepth + 1); level++)
        {
            Array.Clear(levelLoad);
            foreach (var (failed, group) in GroupsByPrefix(lists, allowedCount, level))
            {
                CountSurvivors(failed, lists, byPrimary, load, counts);
                for (var i = 0; i < group.Count; i++)
                {
                    var v = group[i];
                    var last = lists[v][level - 1];
                    var best = -1;
                    for (var step = 1; step <= nodeCount; step++)
                    {
                        var c = (last + step + i) % nodeCount;
                        if ((failed & (1UL << c)) != 0 || !allowed[v][c]) continue;
                        if (best < 0 || counts[c] < counts[best] || (counts[c] == counts[best] && levelLoad[c] < levelLoad[best]))
                            best = c;
                    }
                    lists[v].Add(best);
                    counts[best]++;
                    levelLoad[best]++;
                }
            }
        }
        for (var v = 0; v < vipCount; v++) AppendAroundTheRing(lists[v], allowed[v]);
        return lists.Select(l => l.ToArray()).ToArray();
    }

    /// <summary>
    /// Choices past this depth (five or more nodes down) follow the ring after the last designed choice: designing
    /// them costs time that grows with the cube of the node count, for failures a cluster rarely survives anyway.
    /// </summary>
    public const int DesignedDepth = 4;

    private static void AppendAroundTheRing(List<int> list, bool[] allowed)
    {
        if (list.Count == 0) return;
        var n = allowed.Length;
        var last = list[^1];
        for (var step = 1; step < n; step++)
        {
            var c = (last + step) % n;
            if (allowed[c] && !list.Contains(c)) list.Add(c);
        }
    }

    /// <summary>
    /// Nodes join one at a time; each takes VIPs from the busiest earlier node while that node has two more. When
    /// restrictions stop a direct move, the VIP comes through a chain (y gives one to z, z gives one to x), shortest first.
    /// </summary>
    private static int[] FirstChoices(int nodeCount, IReadOnlyList<bool[]> allowed)
    {
        var vipCount = allowed.Count;
        var primary = new int[vipCount];
        Array.Fill(primary, -1);
        var load = new int[nodeCount];
        for (var x = 0; x < nodeCount; x++)
        {
            for (var v = 0; v < vipCount; v++)
                if (primary[v] < 0 && allowed[v][x]) { primary[v] = x; load[x]++; }
            while (TakeOne(x, primary, load, allowed)) { }
        }
        return primary;
    }

    /// <summary>Moves one VIP towards <paramref name="x"/> from the busiest node that can reach it; false when none should.</summary>
    private static bool TakeOne(int x, int[] primary, int[] load, IReadOnlyList<bool[]> allowed)
    {
        // Breadth-first from x backwards: via[z] = the VIP z would hand on towards x.
        var via = new int[x + 1];
        var next = new int[x + 1];
        Array.Fill(via, -1);
        var queue = new Queue<int>();
        queue.Enqueue(x);
        var reached = new bool[x + 1];
        reached[x] = true;
        var from = -1;
        var reachedCount = 1;
        while (queue.Count > 0 && reachedCount <= x)
        {
            var to = queue.Dequeue();
            // The latest VIP moves, so earlier nodes keep the low addresses: stable and readable.
            for (var v = primary.Length - 1; v >= 0; v--)
            {
                var z = primary[v];
                if (z < 0 || z > x || reached[z] || !allowed[v][to]) continue;
                reached[z] = true;
                reachedCount++;
                via[z] = v;
                next[z] = to;
                queue.Enqueue(z);
                if (load[z] - load[x] > 1 && (from < 0 || load[z] > load[from] || (load[z] == load[from] && z < from))) from = z;
            }
        }
        if (from < 0) return false;
        load[from]--;
        load[x]++;
        for (var z = from; z != x; z = next[z]) primary[via[z]] = next[z];
        return true;
    }

    /// <summary>VIPs that still have nodes to rank, grouped by the set of their first <paramref name="level"/> choices.</summary>
    private static IEnumerable<(ulong Failed, List<int> Group)> GroupsByPrefix(List<int>[] lists, int[] allowedCount, int level)
    {
        var groups = new SortedDictionary<ulong, List<int>>();
        for (var v = 0; v < lists.Length; v++)
        {
            var list = lists[v];
            if (list.Count != level || allowedCount[v] == level) continue;
            var key = 0UL;
            foreach (var n in list) key |= 1UL << n;
            if (!groups.TryGetValue(key, out var group)) groups[key] = group = [];
            group.Add(v);
        }
        foreach (var (key, group) in groups) yield return (key, group);
    }

    /// <summary>How many VIPs each surviving node runs when the nodes in <paramref name="failed"/> are down.</summary>
    private static void CountSurvivors(ulong failed, List<int>[] lists, List<int>[] byPrimary, int[] load, int[] counts)
    {
        for (var n = 0; n < counts.Length; n++)
            counts[n] = (failed & (1UL << n)) != 0 ? 0 : load[n];
        for (var a = 0; a < counts.Length; a++)
        {
            if ((failed & (1UL << a)) == 0) continue;
            foreach (var v in byPrimary[a])
                foreach (var n in lists[v])
                    if ((failed & (1UL << n)) == 0) { counts[n]++; break; }
        }
    }
}
