namespace Determinant.Client;

/// <summary>Turns what a user types for the master's address into its canonical URL (REFERENCE.md §6.1).</summary>
/// <remarks>
/// A missing scheme means <c>http://</c> on port 8080 (the master's default); an explicit <c>http://</c> or
/// <c>https://</c> keeps its scheme's default port (80, 443) unless one is given. The result has no trailing slash.
/// </remarks>
public static class MasterUrl
{
    /// <summary>The master's default port, used when the address has no scheme and no port.</summary>
    public const int DefaultPort = 8080;

    /// <summary>Returns the canonical form, e.g. <c>localhost</c> → <c>http://localhost:8080</c>.</summary>
    /// <param name="address">A host, <c>host:port</c>, or an <c>http(s)://</c> URL, optionally with a path.</param>
    /// <exception cref="ArgumentException">The address is empty, has another scheme, or carries userinfo, a query or a fragment.</exception>
    public static string Canonicalize(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var text = address.Trim();
        if (text.Length == 0)
            throw new ArgumentException("the master address is empty", nameof(address));
        var hasScheme = text.Contains("://", StringComparison.Ordinal);
        if (!Uri.TryCreate(hasScheme ? text : "http://" + text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new ArgumentException($"'{address}' is not a valid master address", nameof(address));
        if (uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"master address '{address}': the scheme must be http or https, not '{uri.Scheme}'", nameof(address));
        if (uri.UserInfo.Length > 0 || text.Contains('@', StringComparison.Ordinal))
            throw new ArgumentException($"master address '{address}' must not contain a user name or password", nameof(address));
        if (uri.Query.Length > 0 || text.Contains('?', StringComparison.Ordinal))
            throw new ArgumentException($"master address '{address}' must not contain a query", nameof(address));
        if (uri.Fragment.Length > 0 || text.Contains('#', StringComparison.Ordinal))
            throw new ArgumentException($"master address '{address}' must not contain a fragment", nameof(address));
        var port = uri.IsDefaultPort && !HasExplicitPort(text, hasScheme) ? (hasScheme ? uri.Port : DefaultPort) : uri.Port;
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost.Trim('[', ']')}]" : uri.IdnHost;
        var path = uri.AbsolutePath.TrimEnd('/');
        return $"{uri.Scheme}://{host}:{port}{path}";
    }

    /// <summary>Whether the authority part spells a port (<c>host:80</c> is explicit even though 80 is http's default).</summary>
    private static bool HasExplicitPort(string text, bool hasScheme)
    {
        var rest = hasScheme ? text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..] : text;
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        var close = authority.LastIndexOf(']');
        return authority.LastIndexOf(':') > close;
    }
}
