using System.Data;
using Dapper;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Inventory;

/// <summary>
/// The one place that writes a new row of a cluster's tables (nodes, virtual IPs, shares, exports), each returning its id:
/// the inventory's single adds and a whole spec's import both go through it, so a new column is added in one place.
/// </summary>
internal static class ClusterRows
{
    public static Task<long> AddNodeAsync(IDbConnection c, IDbTransaction tx, Node n) => c.ExecuteScalarAsync<long>(
        "INSERT INTO nodes (cluster_id, name, address, ssh_port, ssh_user, credential_id, number) " +
        "VALUES (@ClusterId, @Name, @Address, @SshPort, @SshUser, @CredentialId, @Number) RETURNING id",
        new { n.ClusterId, n.Name, n.Address, n.SshPort, n.SshUser, n.CredentialId, n.Number }, tx);

    public static Task<long> AddVirtualIpAsync(IDbConnection c, IDbTransaction tx, VirtualIp v) => c.ExecuteScalarAsync<long>(
        "INSERT INTO virtual_ips (cluster_id, address, prefix, nic) VALUES (@ClusterId, @Address, @Prefix, @Nic) RETURNING id",
        new { v.ClusterId, v.Address, v.Prefix, v.Nic }, tx);

    public static Task<long> AddShareAsync(IDbConnection c, IDbTransaction tx, Share s) => c.ExecuteScalarAsync<long>(
        "INSERT INTO shares (cluster_id, name, path, comment, read_only, guest_ok, " + ShareRow.PermissionColumns + ") " +
        "VALUES (@ClusterId, @Name, @Path, @Comment, @ReadOnly, @GuestOk, " + ShareRow.PermissionValues + ") RETURNING id",
        ShareRow.Of(s), tx);

    public static Task<long> AddExportAsync(IDbConnection c, IDbTransaction tx, Export e) => c.ExecuteScalarAsync<long>(
        "INSERT INTO exports (cluster_id, path, clients, access) VALUES (@ClusterId, @Path, @Clients, @Access) RETURNING id",
        new { e.ClusterId, e.Path, e.Clients, Access = e.Access.ToString() }, tx);
}
