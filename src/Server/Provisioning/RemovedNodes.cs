using Dapper;
using StorageHa.Server.Audit;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Server.Provisioning;

/// <summary>Takes a node out of the inventory once the job that removed it from the cluster has succeeded, audited as its admin.</summary>
public sealed class RemovedNodes(Database db, TimeProvider time)
{
    public Task ForgetAsync(Node node, ProvisioningJob job) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("DELETE FROM nodes WHERE id = @Id", new { node.Id }, tx);
            await AuditTrail.WriteAsync(c, tx, new AuditEntry
            {
                At = time.GetUtcNow(), Actor = job.StartedBy, Action = "node.delete", Target = node.Name,
                Detail = $"removed from {job.Cluster} by job {job.Id}",
            });
            return 0;
        });
}
