using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

using Determinant.Client;
using Determinant.Master.Hosting;

namespace Determinant.Testing;

/// <summary>
/// The real master on Kestrel at 127.0.0.1:&lt;free port&gt; on a SQLite file in a temp dir, built as its own Program does
/// (<c>MasterApp.Build</c> + <c>InitializeAsync</c>). Test projects that use it include this file and are friends of the master.
/// </summary>
public sealed class TestMaster : IAsyncLifetime
{
    public const string AdminPassword = "test-password-1";

    private WebApplication? _app;

    public string DataDir { get; } = Directory.CreateTempSubdirectory("det-test-master-").FullName;

    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string[] args = ["--data-dir", DataDir, "--port", "0", "--listen-address", "127.0.0.1", "--initial-password", AdminPassword,
            "--model-definition-limit-mib", "1", "--Logging:LogLevel:Default", "Warning"];
        _app = MasterApp.Build(args);
        await MasterApp.InitializeAsync(_app, CancellationToken.None);
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public Task<DeterminantClient> AdminAsync() => DeterminantClient.LoginAsync(Url, "admin", AdminPassword, CancellationToken.None);

    /// <summary>The password <see cref="NewUserAsync"/> gives a user.</summary>
    public static string PasswordOf(string username) => "password-of-" + username;

    /// <summary>A new non-admin user with a unique name, logged in.</summary>
    public async Task<DeterminantClient> NewUserAsync(string prefix = "user")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..20];
        using (var admin = await AdminAsync())
            await admin.CreateUserAsync(name, PasswordOf(name), admin: false, CancellationToken.None);
        return await DeterminantClient.LoginAsync(Url, name, PasswordOf(name), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Directory.Delete(DataDir, recursive: true);
    }
}
