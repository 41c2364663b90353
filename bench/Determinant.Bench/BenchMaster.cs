using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Determinant.Master.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Determinant.Bench;

/// <summary>The real master in this process on Kestrel (127.0.0.1, any port) over a SQLite file in a temp data dir.</summary>
internal sealed class BenchMaster : IAsyncDisposable
{
    public const string Password = "bench-password-1";

    private BenchMaster(WebApplication app, string dataDir, Uri address)
    {
        App = app;
        DataDir = dataDir;
        Address = address;
    }

    public WebApplication App { get; }

    public string DataDir { get; }

    public Uri Address { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<BenchMaster> StartAsync(string prefix, params string[] extraArgs)
    {
        var dataDir = Directory.CreateTempSubdirectory(prefix).FullName;
        var app = MasterApp.Build(["--data-dir", dataDir, "--port", "0", "--listen-address", "127.0.0.1",
            "--initial-password", Password, "--Logging:LogLevel:Default", "Warning", .. extraArgs]);
        await MasterApp.InitializeAsync(app, CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchMaster(app, dataDir, new Uri(address));
    }

    public async Task<HttpClient> LoginAsync()
    {
        var client = new HttpClient { BaseAddress = Address };
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = Password });
        login.EnsureSuccessStatusCode();
        var token = (string)(await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(DataDir, recursive: true);
    }
}
