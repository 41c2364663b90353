using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Determinant.Cli.Deploy;

/// <summary>What <c>cluster-up</c> was asked for; <c>Listen</c> is the master's address, 127.0.0.1 unless <c>--listen</c> names another.</summary>
internal sealed record LocalClusterSettings(
    LocalClusterLayout Layout, int Port, int Slots, string? InitialPassword, string Db, string? DbUrl, TimeSpan HealthTimeout, IPAddress Listen,
    bool Unsandboxed = false)
{
    /// <summary>A local cluster is for this machine: other machines reach it only when <c>--listen</c> says so.</summary>
    public static readonly IPAddress DefaultListen = IPAddress.Loopback;

    /// <summary>
    /// Whether this machine reaches the master at 127.0.0.1: it listens there, or on every interface (0.0.0.0, or
    /// <c>::</c>, which Kestrel opens for IPv4 too).
    /// </summary>
    private bool ListensOnIpv4Loopback =>
        Listen.Equals(IPAddress.Loopback) || Listen.Equals(IPAddress.Any) || Listen.Equals(IPAddress.IPv6Any);

    /// <summary>The master as the agent and its tasks reach it.</summary>
    public string MasterUrlForAgent => $"http://{(ListensOnIpv4Loopback ? "127.0.0.1" : Host(Listen))}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The master as printed for people (<c>localhost</c> where that reaches it).</summary>
    public string MasterUrlForUsers => ListensOnIpv4Loopback ? $"http://localhost:{Port.ToString(CultureInfo.InvariantCulture)}" : MasterUrlForAgent;

    private static string Host(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
