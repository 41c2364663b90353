namespace Determinant.Client.Tests;

/// <summary>Every rule of REFERENCE.md §6.1 for the master's address.</summary>
public sealed class MasterUrlTests
{
    [Theory]
    [InlineData("localhost", "http://localhost:8080")]
    [InlineData("localhost:9000", "http://localhost:9000")]
    [InlineData("10.0.0.5", "http://10.0.0.5:8080")]
    [InlineData("master.example.com/", "http://master.example.com:8080")]
    [InlineData("[::1]", "http://[::1]:8080")]
    [InlineData("[::1]:7000", "http://[::1]:7000")]
    [InlineData("  localhost  ", "http://localhost:8080")]
    public void Canonicalize_AddsHttpAndPort8080_WhenTheSchemeIsMissing(string address, string expected) =>
        Assert.Equal(expected, MasterUrl.Canonicalize(address));

    [Theory]
    [InlineData("http://localhost", "http://localhost:80")]
    [InlineData("https://localhost", "https://localhost:443")]
    [InlineData("http://localhost:8080", "http://localhost:8080")]
    [InlineData("https://det.example.com:8443/", "https://det.example.com:8443")]
    [InlineData("http://localhost:80", "http://localhost:80")]
    [InlineData("HTTP://LocalHost", "http://localhost:80")]
    public void Canonicalize_UsesTheSchemesDefaultPort_WhenTheSchemeIsExplicit(string address, string expected) =>
        Assert.Equal(expected, MasterUrl.Canonicalize(address));

    [Theory]
    [InlineData("http://localhost:8080/", "http://localhost:8080")]
    [InlineData("https://example.com/det/", "https://example.com:443/det")]
    [InlineData("example.com/prefix//", "http://example.com:8080/prefix")]
    public void Canonicalize_DropsTheTrailingSlash(string address, string expected) =>
        Assert.Equal(expected, MasterUrl.Canonicalize(address));

    [Theory]
    [InlineData("http://user:pw@localhost:8080", "user name")]
    [InlineData("user@localhost", "user name")]
    [InlineData("http://localhost:8080/?x=1", "query")]
    [InlineData("localhost:8080?x=1", "query")]
    [InlineData("http://localhost:8080/#top", "fragment")]
    [InlineData("localhost#top", "fragment")]
    [InlineData("ftp://localhost", "scheme")]
    [InlineData("", "empty")]
    public void Canonicalize_Rejects_UserinfoQueryFragmentOtherSchemesAndEmpty(string address, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => MasterUrl.Canonicalize(address));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
