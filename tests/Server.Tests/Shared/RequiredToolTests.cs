using StorageHa.TestSupport;

namespace StorageHa.Server.Tests.Shared;

public class RequiredToolTests
{
    private static readonly RequiredTool Shell = new("sh", "dash");
    private static readonly RequiredTool Absent = new("storageha-no-such-tool", "storageha-no-such-package");

    [Fact]
    public void ACommandOnPath_IsFound_AndRequiringItPasses()
    {
        Assert.EndsWith("/sh", Shell.Find());

        RequiredTool.Require(Shell);
    }

    [Fact]
    public void AMissingCommand_FailsTheTestAtOnce_NamingItAndItsPackage()
    {
        Assert.Null(Absent.Find());

        var failure = Assert.Throws<MissingToolException>(() => RequiredTool.Require(Shell, Absent));

        Assert.StartsWith("storageha-no-such-tool is missing: install storageha-no-such-package (apt-get install -y --no-install-recommends storageha-no-such-package;",
            failure.Message);
        Assert.DoesNotContain("dash", failure.Message);
    }

    [Fact]
    public void AFileTool_IsThereExactlyWhenOneOfItsPathsExists()
    {
        var file = Path.GetTempFileName();
        try
        {
            var module = new RequiredTool("a module", "a-package", ["/nonexistent/module.so", file]);
            Assert.Equal(file, module.Find());
            RequiredTool.Require(module);

            File.Delete(file);
            Assert.Null(module.Find());
            Assert.StartsWith("a module is missing: install a-package", RequiredTool.MissingMessage([module]));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void SeveralMissing_AreAllNamed_AndEachPackageIsInstalledOnce()
    {
        var secondOfThePackage = new RequiredTool("storageha-no-such-tool-2", "storageha-no-such-package");
        var other = new RequiredTool("storageha-no-such-tool-3", "other-package");

        var message = RequiredTool.MissingMessage([Absent, secondOfThePackage, other, Shell]);

        Assert.Equal("storageha-no-such-tool is missing: install storageha-no-such-package; " +
            "storageha-no-such-tool-2 is missing: install storageha-no-such-package; " +
            "storageha-no-such-tool-3 is missing: install other-package " +
            "(apt-get install -y --no-install-recommends storageha-no-such-package other-package; test.sh installs every package the tests use)",
            message);
    }

    [Fact]
    public void NothingMissing_HasNoMessage() => Assert.Null(RequiredTool.MissingMessage([Shell]));
}
