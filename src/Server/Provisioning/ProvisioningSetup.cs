using StorageHa.Shared.Console;
using StorageHa.Server.Fencing;
using StorageHa.Server.Serving;

namespace StorageHa.Server.Provisioning;

/// <summary>Provisioning, composed: the job registry (also a hosted service, to mark interrupted jobs), the runner, the door.</summary>
public static class ProvisioningSetup
{
    public static IServiceCollection AddProvisioning(this IServiceCollection services)
    {
        services.AddSingleton<JobStore>();
        services.AddSingleton<ServeCheckStore>();
        services.AddScoped<IServeChecks, ConsoleServeChecks>();
        services.AddSingleton<PlanRunner>();
        services.AddSingleton<ProvisioningJobs>();
        services.AddHostedService(s => s.GetRequiredService<ProvisioningJobs>());
        services.AddScoped<ClusterSecrets>();
        services.AddSingleton<DriftReader>();
        services.AddSingleton<RemovedNodes>();
        services.AddSingleton<FenceTestStore>();
        services.AddSingleton<FenceTester>();
        services.AddScoped<ConsoleFencing>();
        services.AddScoped<IFencing>(s => s.GetRequiredService<ConsoleFencing>());
        services.AddScoped<ConsoleProvisioning>();
        services.AddScoped<IProvisioning>(s => s.GetRequiredService<ConsoleProvisioning>());
        return services;
    }
}
