namespace StorageHa.Shared.Tests.Probe;

/// <summary>
/// /etc/os-release of each release the console has a profile for, as real machines print it (`cat /etc/os-release`),
/// each with where it was read. Only Debian 12 is from the lab; the others are the files as published.
/// </summary>
internal static class OsReleaseSamples
{
    /// <summary>Debian 12, read on the lab's node (ProbeSamples.Debian12WithPackages).</summary>
    public const string Debian12 = """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        VERSION="12 (bookworm)"
        VERSION_CODENAME=bookworm
        ID=debian
        HOME_URL="https://www.debian.org/"
        SUPPORT_URL="https://www.debian.org/support"
        BUG_REPORT_URL="https://bugs.debian.org/"
        """;

    /// <summary>Ubuntu 22.04.2, as github.com/yorevs/homesetup docs/misc/linux-releases.md records it.</summary>
    public const string Ubuntu2204 = """
        PRETTY_NAME="Ubuntu 22.04.2 LTS"
        NAME="Ubuntu"
        VERSION_ID="22.04"
        VERSION="22.04.2 LTS (Jammy Jellyfish)"
        VERSION_CODENAME=jammy
        ID=ubuntu
        ID_LIKE=debian
        HOME_URL="https://www.ubuntu.com/"
        SUPPORT_URL="https://help.ubuntu.com/"
        BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
        PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
        UBUNTU_CODENAME=jammy
        """;

    /// <summary>Ubuntu 24.04.2, as github.com/Hosstell/second-brain linuxupskillchallenge/main.md records it.</summary>
    public const string Ubuntu2404 = """
        PRETTY_NAME="Ubuntu 24.04.2 LTS"
        NAME="Ubuntu"
        VERSION_ID="24.04"
        VERSION="24.04.2 LTS (Noble Numbat)"
        VERSION_CODENAME=noble
        ID=ubuntu
        ID_LIKE=debian
        HOME_URL="https://www.ubuntu.com/"
        SUPPORT_URL="https://help.ubuntu.com/"
        BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
        PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
        UBUNTU_CODENAME=noble
        LOGO=ubuntu-logo
        """;

    /// <summary>RHEL 9.4 server, as github.com/min2ha/browsertrix_k8s_rhel94e README.md records it.</summary>
    public const string Rhel94 = """
        NAME="Red Hat Enterprise Linux"
        VERSION="9.4 (Plow)"
        ID="rhel"
        ID_LIKE="fedora"
        VERSION_ID="9.4"
        PLATFORM_ID="platform:el9"
        PRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"
        ANSI_COLOR="0;31"
        LOGO="fedora-logo-icon"
        CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"
        HOME_URL="https://www.redhat.com/"
        DOCUMENTATION_URL="https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/9"
        BUG_REPORT_URL="https://bugzilla.redhat.com/"

        REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux 9"
        REDHAT_BUGZILLA_PRODUCT_VERSION=9.4
        REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"
        REDHAT_SUPPORT_PRODUCT_VERSION="9.4"
        """;

    /// <summary>Rocky Linux 9.4, a two-node Rocky 9 setup's `cat /etc/os-release` in public install notes (the rocky-release file).</summary>
    public const string Rocky94 = """
        NAME="Rocky Linux"
        VERSION="9.4 (Blue Onyx)"
        ID="rocky"
        ID_LIKE="rhel centos fedora"
        VERSION_ID="9.4"
        PLATFORM_ID="platform:el9"
        PRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"
        ANSI_COLOR="0;32"
        LOGO="fedora-logo-icon"
        CPE_NAME="cpe:/o:rocky:rocky:9::baseos"
        HOME_URL="https://rockylinux.org/"
        BUG_REPORT_URL="https://bugs.rockylinux.org/"
        SUPPORT_END="2032-05-31"
        ROCKY_SUPPORT_PRODUCT="Rocky-Linux-9"
        ROCKY_SUPPORT_PRODUCT_VERSION="9.4"
        REDHAT_SUPPORT_PRODUCT="Rocky Linux"
        REDHAT_SUPPORT_PRODUCT_VERSION="9.4"
        """;

    /// <summary>AlmaLinux 9.2, as github.com/tsr-hataya/linux-server-text almalinux9.2_osinfo.md records it.</summary>
    public const string Alma92 = """
        NAME="AlmaLinux"
        VERSION="9.2 (Turquoise Kodkod)"
        ID="almalinux"
        ID_LIKE="rhel centos fedora"
        VERSION_ID="9.2"
        PLATFORM_ID="platform:el9"
        PRETTY_NAME="AlmaLinux 9.2 (Turquoise Kodkod)"
        ANSI_COLOR="0;34"
        LOGO="fedora-logo-icon"
        CPE_NAME="cpe:/o:almalinux:almalinux:9::baseos"
        HOME_URL="https://almalinux.org/"
        DOCUMENTATION_URL="https://wiki.almalinux.org/"
        BUG_REPORT_URL="https://bugs.almalinux.org/"

        ALMALINUX_MANTISBT_PROJECT="AlmaLinux-9"
        ALMALINUX_MANTISBT_PROJECT_VERSION="9.2"
        REDHAT_SUPPORT_PRODUCT="AlmaLinux"
        REDHAT_SUPPORT_PRODUCT_VERSION="9.2"
        """;

    public static string Named(string release) => release switch
    {
        "Debian 12" => Debian12,
        "Ubuntu 22.04" => Ubuntu2204,
        "Ubuntu 24.04" => Ubuntu2404,
        "RHEL 9" => Rhel94,
        "Rocky 9" => Rocky94,
        "Alma 9" => Alma92,
        _ => throw new ArgumentOutOfRangeException(nameof(release), release, "no os-release sample of that name"),
    };

    /// <summary>The probe's output of a node that has only this os-release (and no cluster packages yet).</summary>
    public static string ProbeOutput(string osRelease) =>
        $"\n@@storageha:os-release\n{osRelease}\n\n@@storageha:init\nsystemd\n\n@@storageha:packages\n\n@@storageha:end\n";
}
