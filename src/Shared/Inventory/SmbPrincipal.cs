using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Inventory;

public enum PrincipalKind { User, Group }

/// <summary>
/// A user or group a share names (valid users, read list, write list, admin users, the folder's owner and group): local
/// (<c>alice</c>, <c>@staff</c>) or of the joined domain (<c>LAB\alice</c>, <c>@"LAB\domain users"</c>), as Samba writes it
/// with <c>winbind use default domain = no</c>. Only <see cref="Parse"/>, <see cref="User"/> and <see cref="Group"/> make
/// one, so every principal that exists passed <see cref="InputRules.PrincipalName"/>: none carries a quote, newline or '%'.
/// </summary>
[JsonConverter(typeof(SmbPrincipalJson))]
public sealed record SmbPrincipal
{
    public PrincipalKind Kind { get; }
    /// <summary>The domain's NetBIOS name (the workgroup), or null for a local account.</summary>
    public string? Domain { get; }
    public string Name { get; }

    private SmbPrincipal(PrincipalKind kind, string? domain, string name) => (Kind, Domain, Name) = (kind, domain, name);

    public static SmbPrincipal User(string name, string? domain = null) => Make(PrincipalKind.User, domain, name);
    public static SmbPrincipal Group(string name, string? domain = null) => Make(PrincipalKind.Group, domain, name);

    /// <summary>The account as NSS (chown, id, getent) names it with winbind's '\' separator: <c>LAB\domain users</c>, <c>staff</c>.</summary>
    public string AccountName => Domain is null ? Name : $"{Domain}\\{Name}";

    /// <summary>Samba's spelling: '@' before a group, the whole in double quotes when it has a space (Samba's list separator).</summary>
    public override string ToString()
    {
        var account = AccountName.Contains(' ') ? $"\"{AccountName}\"" : AccountName;
        return Kind == PrincipalKind.Group ? "@" + account : account;
    }

    /// <summary>One principal as Samba writes it, quoted or not (<c>@"LAB\domain users"</c>, <c>@LAB\domain users</c>, <c>alice</c>).</summary>
    public static SmbPrincipal Parse(string text) =>
        TryParse(text, out var principal, out var error) ? principal : throw new FormatException(error);

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SmbPrincipal? principal, out string error)
    {
        principal = null;
        if (string.IsNullOrEmpty(text)) { error = "is required"; return false; }
        var body = text;
        var kind = PrincipalKind.User;
        if (Unquoted(body) is { } whole) body = whole;
        // '+' is Samba's "Unix group only"; with no NIS on the nodes it is what '@' means, and is written as '@'.
        if (body.Length > 0 && body[0] is '@' or '+') { kind = PrincipalKind.Group; body = body[1..]; }
        if (Unquoted(body) is { } account) body = account;
        if (body.Contains('"')) { error = $"'{InputRules.Excerpt(text)}' has a stray '\"' (quote a whole name: @\"LAB\\domain users\")"; return false; }
        var parts = body.Split('\\');
        if (parts.Length > 2) { error = $"'{InputRules.Excerpt(text)}' has more than one '\\' (write DOMAIN\\name)"; return false; }
        var (domain, name) = parts.Length == 2 ? (parts[0], parts[1]) : ((string?)null, parts[0]);
        if (domain is not null && InputRules.Workgroup(domain) is { } badDomain) { error = $"'{InputRules.Excerpt(text)}': its domain {badDomain}"; return false; }
        if (InputRules.PrincipalName(name) is { } badName) { error = $"'{InputRules.Excerpt(text)}': {badName}"; return false; }
        principal = new(kind, domain, name);
        error = "";
        return true;
    }

    /// <summary>A list as Samba reads one (<c>valid users = alice, @staff @"LAB\domain users"</c>): separated by spaces or commas, quotes group.</summary>
    public static IReadOnlyList<SmbPrincipal> ParseList(string? text)
    {
        var tokens = new List<string>();
        var token = new StringBuilder();
        var quoted = false;
        foreach (var c in text ?? "")
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c is ' ' or '\t' or ',') Flush();
            else token.Append(c);
        }
        if (quoted) throw new FormatException($"'{InputRules.Excerpt(text!)}' has a quote that is not closed");
        Flush();
        return tokens.Select(t => TryParse(t, out var p, out var error) ? p : throw new FormatException(error)).ToList();

        void Flush()
        {
            if (token.Length > 0) tokens.Add(token.ToString());
            token.Clear();
        }
    }

    /// <summary>The list as Samba's parameter value (and the inventory's column): principals separated by spaces.</summary>
    public static string RenderList(IEnumerable<SmbPrincipal> principals) => string.Join(' ', principals);

    private static SmbPrincipal Make(PrincipalKind kind, string? domain, string name) =>
        (domain is not null ? InputRules.Workgroup(domain) : null) is { } badDomain ? throw new FormatException($"domain {badDomain}")
        : InputRules.PrincipalName(name) is { } badName ? throw new FormatException(badName)
        : new(kind, domain, name);

    private static string? Unquoted(string text) =>
        text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1] : null;
}

/// <summary>A principal in JSON: its Samba spelling, e.g. "LAB\\alice" or "@staff".</summary>
public sealed class SmbPrincipalJson : JsonConverter<SmbPrincipal>
{
    public override SmbPrincipal Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("must be a user (alice, LAB\\alice) or group (@staff) as a string");
        return SmbPrincipal.TryParse(reader.GetString(), out var principal, out var error) ? principal : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, SmbPrincipal value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>
/// A list of principals in JSON: an array of their Samba spellings; a string is read as Samba's list, as specs and
/// requests wrote "validUsers" before it was typed ("alice @staff").
/// </summary>
public sealed class SmbPrincipalListJson : JsonConverter<IReadOnlyList<SmbPrincipal>>
{
    private static readonly SmbPrincipalJson One = new();

    // "validUsers": null reads as no list, as the string column's null did.
    public override bool HandleNull => true;

    public override IReadOnlyList<SmbPrincipal> Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return [];
        if (reader.TokenType == JsonTokenType.String)
        {
            try { return SmbPrincipal.ParseList(reader.GetString()); }
            catch (FormatException e) { throw new JsonException(e.Message); }
        }
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("must be a list of users and groups");
        var list = new List<SmbPrincipal>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(One.Read(ref reader, typeof(SmbPrincipal), options));
        return list;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<SmbPrincipal> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var principal in value) One.Write(writer, principal, options);
        writer.WriteEndArray();
    }
}

/// <summary>A folder's group in JSON: "@staff", or "staff" (the field says it is a group); written as "@staff".</summary>
public sealed class SmbGroupJson : JsonConverter<SmbPrincipal>
{
    private static readonly SmbPrincipalJson One = new();

    public override SmbPrincipal Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options)
    {
        var principal = One.Read(ref reader, type, options);
        return principal.Kind == PrincipalKind.Group ? principal : SmbPrincipal.Group(principal.Name, principal.Domain);
    }

    public override void Write(Utf8JsonWriter writer, SmbPrincipal value, JsonSerializerOptions options) => One.Write(writer, value, options);
}
