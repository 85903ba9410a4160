using StorageHa.Server;

var app = ConsoleHost.Build(args);
await ConsoleHost.PrepareAsync(app);
await app.RunAsync();

public partial class Program;
