using StorageHa.Benchmarks;

return args.FirstOrDefault() switch
{
    "imbalance" => ImbalanceTable.Print(Console.Out),
    "cells" => DoubleFailureCells.Print(Console.Out),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: bench imbalance");
    return 2;
}
