using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Shared;

/// <summary>Credentials as pages see them; the real vault (encryption, key generation) is tested in Server.Tests.</summary>
public sealed class InMemoryCredentialStore : ICredentialStore
{
    private long _nextId = 500;

    public List<Credential> Credentials { get; } = [];
    /// <summary>Secrets handed to the store, to prove they went there and nowhere else.</summary>
    public Dictionary<long, string> Secrets { get; } = [];

    public Task<IReadOnlyList<Credential>> ListAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<Credential>>(Credentials.ToList());

    public Task<Credential> GenerateKeyAsync(string name, CancellationToken ct = default)
        => Add(new Credential { Name = name, Kind = CredentialKind.PrivateKey, PublicKey = $"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITest storageha-{name}" }, "generated");

    public Task<Credential> AddPrivateKeyAsync(string name, string privateKey, string? passphrase, CancellationToken ct = default)
        => Add(new Credential { Name = name, Kind = CredentialKind.PrivateKey, PublicKey = "ssh-ed25519 AAAAPasted" }, privateKey);

    public Task<Credential> AddPasswordAsync(string name, string password, CancellationToken ct = default)
        => Add(new Credential { Name = name, Kind = CredentialKind.Password }, password);

    public Task DeleteAsync(long credentialId, CancellationToken ct = default)
    {
        Credentials.RemoveAll(c => c.Id == credentialId);
        return Task.CompletedTask;
    }

    private Task<Credential> Add(Credential credential, string secret)
    {
        var stored = credential with { Id = ++_nextId, CreatedAt = DateTimeOffset.UnixEpoch };
        Credentials.Add(stored);
        Secrets[stored.Id] = secret;
        return Task.FromResult(stored);
    }
}

/// <summary>The audit log as pages see it, with the same paging and case-insensitive search the store offers.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    public List<AuditEntry> Entries { get; } = [];
    public List<AuditQuery> Queries { get; } = [];

    public Task WriteAsync(AuditEntry entry, CancellationToken ct = default)
    {
        Entries.Add(entry with { Id = Entries.Count + 1 });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct = default)
    {
        Queries.Add(query);
        var matching = Entries.OrderByDescending(e => e.At)
            .Where(e => query.Search is null
                || new[] { e.Actor, e.Action, e.Target, e.Command, e.Detail }.Any(f => f?.Contains(query.Search, StringComparison.OrdinalIgnoreCase) == true));
        return Task.FromResult<IReadOnlyList<AuditEntry>>(matching.Skip(query.Skip).Take(query.Take).ToList());
    }
}

/// <summary>User administration as pages see it; password hashing and token checks are tested in Server.Tests.</summary>
public sealed class InMemoryUserAdmin : IUserAdmin
{
    private long _nextId = 900;

    public List<User> Users { get; } = [];
    public List<ApiToken> Tokens { get; } = [];
    public Dictionary<long, string> Passwords { get; } = [];

    public Task<IReadOnlyList<User>> ListAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<User>>(Users.ToList());

    public Task<User> CreateAsync(string userName, string password, Role role, CancellationToken ct = default)
    {
        var user = new User { Id = ++_nextId, UserName = userName, Role = role, CreatedAt = DateTimeOffset.UnixEpoch };
        Users.Add(user);
        Passwords[user.Id] = password;
        return Task.FromResult(user);
    }

    public Task SetRoleAsync(long userId, Role role, CancellationToken ct = default)
    {
        var index = Users.FindIndex(u => u.Id == userId);
        Users[index] = Users[index] with { Role = role };
        return Task.CompletedTask;
    }

    public Task SetPasswordAsync(long userId, string password, CancellationToken ct = default)
    {
        Passwords[userId] = password;
        return Task.CompletedTask;
    }

    public Task DeleteAsync(long userId, CancellationToken ct = default)
    {
        Users.RemoveAll(u => u.Id == userId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<ApiToken>>(Tokens.ToList());

    public Task<(ApiToken Token, string Secret)> CreateTokenAsync(long userId, string name, CancellationToken ct = default)
    {
        var token = new ApiToken(++_nextId, name, Users.Single(u => u.Id == userId).UserName, DateTimeOffset.UnixEpoch, null);
        Tokens.Add(token);
        return Task.FromResult((token, $"sha_secret_{token.Id}"));
    }

    public Task RevokeTokenAsync(long tokenId, CancellationToken ct = default)
    {
        Tokens.RemoveAll(t => t.Id == tokenId);
        return Task.CompletedTask;
    }
}
