using System.Diagnostics;
using Determinant.Testing;

namespace Determinant.Client.Tests;

/// <summary>
/// <c>dotnet pack</c> of Determinant.Protocol and Determinant.Client gives packages that a new console project restores from
/// a local folder feed alone (no other source, its own package folder so no stale copy is reused) and runs against the real master.
/// </summary>
[Collection(SharedMaster.Name)]
public sealed class PackageTests(TestMaster master) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("det-pack-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task PackedClient_IsConsumedFromALocalFeed_ByANewConsoleProject()
    {
        var feed = Directory.CreateDirectory(Path.Combine(_work, "feed")).FullName;
        foreach (var project in new[] { "src/Determinant.Protocol", "src/Determinant.Client" })
            // A configuration of its own: the CLI launcher builds these projects in Release at the same time.
            Run("dotnet", TestRepository.Root, "pack", TestRepository.PathOf(project), "-c", "PackTest", "-o", feed, "--nologo");
        Assert.Equal(["Determinant.Client.0.1.0.nupkg", "Determinant.Protocol.0.1.0.nupkg"],
            Directory.EnumerateFiles(feed, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var app = Directory.CreateDirectory(Path.Combine(_work, "app")).FullName;
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(_work, "packages")}" /></config>
              <packageSources><clear /><add key="local" value="{feed}" /></packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "app.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Determinant.Client" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using Determinant.Client;
            using var client = await DeterminantClient.LoginAsync(args[0], "admin", args[1], CancellationToken.None);
            var me = await client.GetMeAsync(CancellationToken.None);
            var workspaces = await client.ListWorkspacesAsync();
            Console.WriteLine($"{MasterUrl.Canonicalize(args[0])} {me.Username} {workspaces[0].Name}");
            """);

        var output = Run("dotnet", app, "run", "--", master.Url, TestMaster.AdminPassword);

        Assert.EndsWith($"{master.Url.TrimEnd('/')} admin Uncategorized", output.TrimEnd(), StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_work, "packages", "determinant.protocol", "0.1.0")));
    }

    private static string Run(string file, string directory, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // The test host's MSBuild settings must not leak into the child builds.
        foreach (var name in new[] { "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "DOTNET_HOST_PATH" })
            start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not end within 5 minutes");
        }
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{output.Result}\n{error.Result}");
        return output.Result;
    }
}
