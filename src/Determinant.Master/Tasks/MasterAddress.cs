using Determinant.Master.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Tasks;

/// <summary>The master's URL as tasks reach it (<c>DET_MASTER</c>): <c>master_url</c>, else <c>http://127.0.0.1:&lt;bound port&gt;</c>.</summary>
internal sealed class MasterAddress(IOptions<MasterOptions> options, IServer server)
{
    private string? _url;

    public string Url => _url ??= options.Value.MasterUrl?.TrimEnd('/') ?? Default();

    private string Default()
    {
        var port = options.Value.Port;
        // With port 0 the bound port is known only once Kestrel listens.
        if (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } bound && Uri.TryCreate(bound, UriKind.Absolute, out var uri))
            port = uri.Port;
        return $"http://127.0.0.1:{port}";
    }
}
