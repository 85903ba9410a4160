using StorageHa.Benchmarks;

// Benchmarks run on demand, never in CI: dotnet run -c Release --project tests/Benchmarks -- <what>
return args.FirstOrDefault() switch
{
    "imbalance" => ImbalanceTable.Print(Console.Out),
    "cells" => DoubleFailureCells.Print(Console.Out),
    "place" => PlacementSpeed.Print(Console.Out),
    "aot" => NodeHelperAot.Print(Console.Out),
    "tickle" => TickleSpeed.Print(Console.Out),
    "parse" => ParseSpeed.Print(Console.Out),
    "fanout" => FanoutSpeed.Print(Console.Out, args),
    "fanout-clients" => FanoutSpeed.Clients(args),
    "latency" => DomLatency.Print(Console.Out, args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: bench imbalance|cells|place|aot|parse|tickle|fanout [--minutes M]|latency [--trials N] [--mode polling|events|both]");
    return 2;
}
