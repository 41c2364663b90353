using System.Net;
using Determinant.Testing;

namespace Determinant.Client.Tests;

/// <summary>Workspaces, projects and experiments in projects, through the SDK against the real master.</summary>
[Collection(SharedMaster.Name)]
public sealed class ProjectApiTests(TestMaster master)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private const string Config = """
        name: sdk-project
        entrypoint: ./train.sh
        hyperparameters:
          lr: 0.1
        searcher:
          name: single
          metric: loss
          max_length:
            batches: 10
        """;

    [Fact]
    public async Task CreateFindAndSubmitIntoAProject_ThenListItsExperiments()
    {
        using var user = await master.NewUserAsync();
        var name = "sdk-" + Guid.NewGuid().ToString("N")[..8];

        var workspace = await user.CreateWorkspaceAsync(name, None);
        var project = await user.CreateProjectAsync(workspace.Id, "p1", "described", None);
        var found = await user.FindProjectAsync(name, "p1", None);
        var created = await user.CreateExperimentAsync(Config, [], activate: false, project.Id, uploadProgress: null, None);
        var listed = await user.ListExperimentsAsync(new ExperimentListOptions { ProjectId = project.Id }, None);

        Assert.Equal(project.Id, found.Id);
        Assert.Equal(user.User!.Username, (await user.GetWorkspaceAsync(workspace.Id, None)).Username);
        Assert.Contains(await user.ListWorkspacesAsync(None), w => w.Id == 1 && w.Name == "Uncategorized");
        Assert.Equal([project.Id], (await user.ListProjectsAsync(workspace.Id, None)).Select(p => p.Id));
        Assert.Equal(created.Experiment.Id, Assert.Single(listed).Id);
        Assert.Equal((project.Id, workspace.Id, "p1", name), (created.Experiment.Info.ProjectId, created.Experiment.Info.WorkspaceId, created.Experiment.Info.ProjectName, created.Experiment.Info.WorkspaceName));
        Assert.Equal(1, (await user.GetProjectAsync(project.Id, None)).NumExperiments);
    }

    [Fact]
    public async Task FindProject_ThrowsNotFoundNamingWhatIsMissing()
    {
        using var user = await master.NewUserAsync();

        var noWorkspace = await Assert.ThrowsAsync<DeterminantApiException>(() => user.FindProjectAsync("nowhere-x", "p", None));
        var noProject = await Assert.ThrowsAsync<DeterminantApiException>(() => user.FindProjectAsync("Uncategorized", "nothing-y", None));
        var noId = await Assert.ThrowsAsync<DeterminantApiException>(() => user.CreateExperimentAsync(Config, [], false, 424242, null, None));

        Assert.Equal((HttpStatusCode.NotFound, "workspace 'nowhere-x' not found"), (noWorkspace.StatusCode, noWorkspace.Message));
        Assert.Equal((HttpStatusCode.NotFound, "project 'nothing-y' not found in workspace 'Uncategorized'"), (noProject.StatusCode, noProject.Message));
        Assert.Equal(HttpStatusCode.NotFound, noId.StatusCode);
        Assert.Contains("project 424242 not found", noId.Message, StringComparison.Ordinal);
    }
}
