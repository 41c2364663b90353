using System.Text.Json.Nodes;
using Determinant.Testing;

namespace Determinant.Cli.Tests;

/// <summary><c>det workspace …</c>, <c>det project …</c> and <c>det experiment create/list</c> with projects, against the real master.</summary>
[Collection(SharedMaster.Name)]
public sealed class ProjectCommandTests(TestMaster master) : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("det-cli-home-").FullName;
    private readonly string _user = "proj-" + Guid.NewGuid().ToString("N")[..10];
    private Det _det = null!;

    private string Config => Path.Combine(_home, "single.yaml");

    public async Task InitializeAsync()
    {
        using (var admin = await master.AdminAsync())
            await admin.CreateUserAsync(_user, "password-" + _user, admin: false, CancellationToken.None);
        _det = new Det(master.Url, _home);
        _det.Environment["DET_USER"] = _user;
        _det.Environment["DET_PASS"] = "password-" + _user;
        await File.WriteAllTextAsync(Config, """
            name: in-project
            entrypoint: ./train.sh
            hyperparameters:
              lr: 0.1
            searcher:
              name: single
              metric: loss
              max_length:
                batches: 10
            """);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_home, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task WorkspaceAndProjectCommands_CreateAndListInPrestoTablesAndJson()
    {
        var workspace = _user + "-ws";
        var created = await _det.RunAsync("workspace", "create", workspace);
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.StartsWith(" ID | Name", created.Output, StringComparison.Ordinal);
        Assert.Contains($"| {workspace} |", created.Output, StringComparison.Ordinal);

        var project = await _det.RunAsync("project", "create", workspace, "detector", "--description", "first try");
        Assert.True(project.ExitCode == 0, project.Error);

        var workspaces = await _det.RunAsync("workspace", "list");
        var header = workspaces.Output.Split('\n')[0];
        Assert.Equal(["ID", "Name", "# Projects", "# Experiments", "Owner"], header.Split('|').Select(c => c.Trim()));
        Assert.Matches(@"-+-", workspaces.Output.Split('\n')[1]);
        Assert.Contains(workspaces.Output.Split('\n'), l => l.Contains("| Uncategorized ", StringComparison.Ordinal));
        var row = Assert.Single(workspaces.Output.Split('\n'), l => l.Contains($"| {workspace} ", StringComparison.Ordinal));
        Assert.Equal([workspace, "1", "0", _user], row.Split('|').Skip(1).Select(c => c.Trim()));

        var projects = await _det.RunAsync("project", "list", workspace, "--json");
        Assert.Equal("", projects.Error);
        var only = Assert.Single(JsonNode.Parse(projects.Output)!.AsArray())!;
        Assert.Equal(("detector", "first try", workspace), ((string)only["name"]!, (string?)only["description"], (string)only["workspaceName"]!));

        var table = await _det.RunAsync("project", "list", workspace);
        Assert.Equal(["ID", "Name", "Description", "# Experiments", "# Active Experiments", "Owner"], table.Output.Split('\n')[0].Split('|').Select(c => c.Trim()));

        var again = await _det.RunAsync("workspace", "create", workspace);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains($"workspace '{workspace}' already exists", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExperimentCreate_PutsTheExperimentInTheProjectNamedByPathOrId_AndListFiltersByProject()
    {
        var workspace = _user + "-ws";
        Assert.Equal(0, (await _det.RunAsync("workspace", "create", workspace)).ExitCode);
        var project = JsonNode.Parse((await _det.RunAsync("project", "create", workspace, "exp", "--json")).Output)!.AsArray()[0]!;
        var projectId = (int)project["id"]!;

        var byPath = await _det.RunAsync("experiment", "create", Config, "--paused", "--project", $"{workspace}/exp");
        Assert.True(byPath.ExitCode == 0, byPath.Error);
        var first = int.Parse(byPath.Output.Trim().Split('\n')[^1]["Created experiment ".Length..]);
        var byId = await _det.RunAsync("experiment", "create", Config, "--paused", "--project_id", projectId.ToString());
        Assert.True(byId.ExitCode == 0, byId.Error);
        var second = int.Parse(byId.Output.Trim().Split('\n')[^1]["Created experiment ".Length..]);
        var uncategorized = await _det.RunAsync("experiment", "create", Config, "--paused");
        Assert.Equal(0, uncategorized.ExitCode);

        var listed = JsonNode.Parse((await _det.RunAsync("experiment", "list", "--project_id", projectId.ToString(), "--json")).Output)!.AsArray();
        Assert.Equal([first, second], listed.Select(e => (int)e!["id"]!).Order());
        Assert.All(listed, e => Assert.Equal((projectId, "exp", workspace), ((int)e!["projectId"]!, (string)e["projectName"]!, (string)e["workspaceName"]!)));
        var all = JsonNode.Parse((await _det.RunAsync("experiment", "list", "--json")).Output)!.AsArray();
        Assert.Equal(3, all.Count);
        Assert.Equal(1, all.Count(e => (int)e!["projectId"]! == 1));
    }

    [Fact]
    public async Task ExperimentCreate_WithAnUnknownProject_NamesItAndExitsWithNotFound_AndCreatesNothing()
    {
        var unknownWorkspace = await _det.RunAsync("experiment", "create", Config, "--project", "no-such-ws/p");
        Assert.Equal(4, unknownWorkspace.ExitCode);
        Assert.Contains("workspace 'no-such-ws' not found", unknownWorkspace.Error, StringComparison.Ordinal);

        var unknownProject = await _det.RunAsync("experiment", "create", Config, "--project", "Uncategorized/no-such-project");
        Assert.Equal(4, unknownProject.ExitCode);
        Assert.Contains("project 'no-such-project' not found in workspace 'Uncategorized'", unknownProject.Error, StringComparison.Ordinal);

        var unknownId = await _det.RunAsync("experiment", "create", Config, "--project_id", "987654");
        Assert.Equal(4, unknownId.ExitCode);
        Assert.Contains("project 987654 not found", unknownId.Error, StringComparison.Ordinal);

        var malformed = await _det.RunAsync("experiment", "create", Config, "--project", "just-a-name");
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("must be WORKSPACE/PROJECT", malformed.Error, StringComparison.Ordinal);

        var both = await _det.RunAsync("experiment", "create", Config, "--project", "a/b", "--project_id", "1");
        Assert.Equal(2, both.ExitCode);

        Assert.Equal("[]", (await _det.RunAsync("experiment", "list", "--json")).Output.Trim());
    }

    [Fact]
    public async Task ProjectCreate_InSomeoneElsesWorkspace_IsRefusedWithTheAuthExitCode()
    {
        var denied = await _det.RunAsync("project", "create", "Uncategorized", "mine");
        Assert.Equal(5, denied.ExitCode);
        Assert.Contains("only the owner of workspace 'Uncategorized' or an admin", denied.Error, StringComparison.Ordinal);

        var missing = await _det.RunAsync("project", "list", "no-such-ws-" + _user);
        Assert.Equal(4, missing.ExitCode);
        Assert.Contains($"workspace 'no-such-ws-{_user}' not found", missing.Error, StringComparison.Ordinal);
    }
}
