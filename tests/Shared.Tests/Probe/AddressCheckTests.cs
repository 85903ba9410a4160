using StorageHa.Shared.Probe;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Tests.Probe;

/// <summary>The address check's command and its reading; the command itself runs on lab nodes in the integration tests.</summary>
public sealed class AddressCheckTests
{
    [Fact]
    public void Addresses_AreArgumentsOfTheScript_NeverPartOfIt()
    {
        var argv = AddressCheck.Command(["192.0.2.50", "2001:db8::5"]);

        Assert.Equal(["storageha-address-check", "192.0.2.50", "2001:db8::5"], argv.Skip(3));
        Assert.DoesNotContain("192.0.2.50", argv[2], StringComparison.Ordinal);
    }

    [Fact]
    public void AnythingButLiteralAddresses_OrMoreThanSixteen_IsRefusedByField()
    {
        var bad = Assert.Throws<InvalidInputException>(() => AddressCheck.Command(["192.0.2.50", "$(reboot)", "10.1"]));
        Assert.Equal(["addresses[1]", "addresses[2]"], bad.Errors.Select(e => e.Field));
        Assert.Throws<InvalidInputException>(() => AddressCheck.Command([]));
        Assert.Throws<InvalidInputException>(() => AddressCheck.Command(Enumerable.Range(1, 17).Select(i => $"192.0.2.{i}").ToArray()));
    }

    [Fact]
    public void Answering_ListsTheAddressesTheScriptReported()
    {
        Assert.Equal(["192.0.2.11", "2001:db8::5"], AddressCheck.Answering("answers 192.0.2.11\nsomething else\nanswers 2001:db8::5\n"));
        Assert.Empty(AddressCheck.Answering(""));
    }
}
