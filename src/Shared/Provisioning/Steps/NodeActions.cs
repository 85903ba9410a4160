namespace StorageHa.Shared.Provisioning.Steps;

/// <summary>A command on the node: what no more specific kind says (a software check, a password, a directory…).</summary>
public sealed record NodeCommand(IReadOnlyList<string> Command, StepCheck? DoneCheck = null, StepInput? Stdin = null) : StepAction
{
    public NodeCommand(IReadOnlyList<string> command, IReadOnlyList<string>? check, StepInput? stdin = null)
        : this(command, check is null ? null : new CommandCheck(check), stdin) { }

    public override IReadOnlyList<string> Argv => Command;
    public override StepCheck? Check => DoneCheck;
    public override StepInput? Input => Stdin;
    public override string Kind => "command";
}

/// <summary>
/// A file written atomically with its mode; done when the node's file already holds exactly this content and mode. The
/// server's own file is kept the first time, under <paramref name="Originals"/>, for a teardown to give back.
/// </summary>
public sealed record WriteFile(string Path, string Mode, StepInput Content, string Originals = ConfigFiles.OriginalsDirectory) : StepAction
{
    public override IReadOnlyList<string> Argv => NodeCommands.WriteFile(Path, Mode, Originals);
    public override StepCheck Check => new CommandCheck(NodeCommands.FileIs(Path, Mode));
    public override StepInput Input => Content;
    public override string Kind => "write-file";
}

/// <summary>A file written only where none exists yet (a node that has one keeps it), owned by <paramref name="Owner"/>.</summary>
public sealed record SeedFile(string Path, string Owner, StepInput Content) : StepAction
{
    public override IReadOnlyList<string> Argv => NodeCommands.SeedFile(Path, Owner);
    public override StepCheck Check => new CommandCheck(NodeCommands.Exists(Path));
    public override StepInput Input => Content;
    public override string Kind => "seed-file";
}

/// <summary>
/// The console's node helper installed (compared by SHA-256 first, so a current node gets nothing), then proven to run.
/// The runner does the install; the command is the proof.
/// </summary>
public sealed record InstallNodeHelper(string Binary = NodeHelperFiles.Binary) : StepAction
{
    public override IReadOnlyList<string> Argv => [Binary, "version"];
    public override string Kind => "install-node-helper";
}

/// <summary>The configuration files a running daemon must be told to re-read.</summary>
public enum ReloadedConfig
{
    /// <summary>corosync.conf: corosync-cfgtool -R on every node.</summary>
    Corosync,
    /// <summary>CTDB's node list: ctdb reloadnodes (the file must be the same everywhere first).</summary>
    CtdbNodes,
}

/// <summary>A running daemon told to load its changed file; a stopped one reads it when it starts. Done when it has this version.</summary>
public sealed record ReloadConfig(ReloadedConfig Config) : StepAction
{
    private (string File, string Stamp) Files => Config switch
    {
        ReloadedConfig.Corosync => (ConfigFiles.CorosyncConfPath, ConfigFiles.CorosyncLoadedPath),
        _ => (ConfigFiles.CtdbNodesPath, ConfigFiles.CtdbNodesLoadedPath),
    };

    public override IReadOnlyList<string> Argv => Config switch
    {
        ReloadedConfig.Corosync => NodeCommands.ReloadWhenChanged(Files.File, Files.Stamp, NodeCommands.CorosyncRuns, NodeCommands.ReloadCorosync),
        _ => NodeCommands.ReloadWhenChanged(Files.File, Files.Stamp, NodeCommands.CtdbRuns, NodeCommands.ReloadCtdbNodes),
    };

    public override StepCheck Check => new CommandCheck(NodeCommands.Loaded(Files.File, Files.Stamp));
    public override string Kind => "reload-config";
}

/// <summary>corosync, then pacemaker, started on the node.</summary>
public sealed record StartCluster : StepAction
{
    public override IReadOnlyList<string> Argv => NodeCommands.StartCluster;
    public override StepCheck Check => new CommandCheck(NodeCommands.ClusterRunning);
    public override string Kind => "start-cluster";
}

/// <summary>pacemaker, then corosync, stopped on the node.</summary>
public sealed record StopCluster : StepAction
{
    public override IReadOnlyList<string> Argv => NodeCommands.StopCluster;
    public override StepCheck Check => new CommandCheck(NodeCommands.ClusterStopped);
    public override string Kind => "stop-cluster";
}

/// <summary>
/// Waits until the cluster meets <paramref name="Condition"/>: the runner reads the state every
/// <see cref="PollSeconds"/> s on the step's node, at most <paramref name="TimeoutSeconds"/> s, then says why it is still unmet.
/// </summary>
public sealed record WaitForCluster(ClusterCondition Condition, int TimeoutSeconds) : StepAction
{
    public const int PollSeconds = 2;

    public override IReadOnlyList<string> Argv => ClusterCondition.Query;
    public override StepCheck Check => new ClusterCheck(Condition);
    public override string Kind => "wait-for-cluster";
}

/// <summary>One share of Samba's cluster-wide registry replaced by the section on standard input; done when the registry holds exactly it.</summary>
public sealed record ImportShare(string Name, string Section) : StepAction
{
    public override IReadOnlyList<string> Argv => NodeCommands.ImportShare(Name);
    public override StepCheck Check => new CommandCheck(NodeCommands.ShareIs(Name));
    public override StepInput Input => StepInput.Of(Section);
    public override string Kind => "import-share";
}

/// <summary>The serve check: runs every time, changes nothing; its output on each node is that node's serve report.</summary>
public sealed record CheckServing(IReadOnlyList<string> Command) : StepAction
{
    public override IReadOnlyList<string> Argv => Command;
    public override string Kind => "serve-check";
}
