using StorageHa.Shared.Commands;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Probe;

/// <summary>
/// Whether anything answers at addresses an admin wants for virtual IPs, asked from a node on their subnet: a TCP
/// connection attempt makes the node resolve the address, so a refusal, an accepted connection or a learnt link-layer
/// address (ARP/ND) all mean a machine is there: <c>Scripts/address-check.sh</c>, which needs only bash, coreutils' timeout and iproute2.
/// </summary>
public static class AddressCheck
{
    public const int MaxAddresses = 16;
    private const string Answers = "answers ";

    /// <summary>The addresses, validated: each a literal IP address, at most <see cref="MaxAddresses"/>.</summary>
    public static IReadOnlyList<string> Validated(IReadOnlyList<string>? addresses)
    {
        if (addresses is null || addresses.Count == 0) throw new InvalidInputException("addresses", "name at least one address to check");
        if (addresses.Count > MaxAddresses) throw new InvalidInputException("addresses", $"at most {MaxAddresses} addresses at a time");
        var errors = addresses.Select((a, i) => (i, Error: InputRules.IpAddress(a))).Where(e => e.Error is not null)
            .Select(e => new ValidationError($"addresses[{e.i}]", e.Error!)).ToList();
        if (errors.Count > 0) throw new InvalidInputException(errors);
        return addresses.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>Prints "answers ADDRESS" for each address something answers at; 2 s per silent address.</summary>
    public static IReadOnlyList<string> Command(IReadOnlyList<string> addresses) =>
        NodeScript.Named("address-check").Command(Validated(addresses));

    /// <summary>The addresses the command found answering.</summary>
    public static IReadOnlyList<string> Answering(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith(Answers, StringComparison.Ordinal)).Select(l => l[Answers.Length..]).ToArray();
}
