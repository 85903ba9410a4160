using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Model;

/// <summary>How a new credential comes to be: generated on the server, or a key or password the admin pastes.</summary>
public enum CredentialSource { Generate, PrivateKey, Password }

/// <summary>What the credential form collects; the secret goes straight to the store and is never shown back.</summary>
public sealed record NewCredential(CredentialSource Source, string Name, string? Secret = null, string? Passphrase = null);

public sealed record NewUser(string UserName, string Password, Role Role);

public sealed record NewPassword(string Password);

public sealed record NewApiToken(long UserId, string Name);

/// <summary>A text the admin copies: a public key, an install command, a token secret.</summary>
public sealed record CopyableText(string Label, string Text);
