using StorageHa.Shared.Console;

namespace StorageHa.Server.Operations;

/// <summary>Operations on running clusters, composed: where to run them and who runs them.</summary>
public static class OperationsSetup
{
    public static IServiceCollection AddClusterOperations(this IServiceCollection services)
    {
        services.AddSingleton(new OperationOptions());
        services.AddSingleton<OperationTargets>();
        // Scoped: the operator is the signed-in user of the request or page.
        services.AddScoped<IClusterOperations, ClusterOperator>();
        return services;
    }
}
