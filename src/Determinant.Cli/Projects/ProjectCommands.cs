using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Projects;

/// <summary>
/// <c>det workspace list|create NAME</c> and <c>det project list WORKSPACE|create WORKSPACE NAME</c>; workspaces are named,
/// not numbered, on the command line, as in Determined.
/// </summary>
internal static class ProjectCommands
{
    private static readonly string[] WorkspaceHeaders = ["ID", "Name", "# Projects", "# Experiments", "Owner"];
    private static readonly string[] ProjectHeaders = ["ID", "Name", "Description", "# Experiments", "# Active Experiments", "Owner"];

    public static Command Workspace(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the workspaces as the API returns them." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var list = new Command("list", "List the workspaces.") { json, csv };
        list.Aliases.Add("ls");
        list.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var workspaces = await client.ListWorkspacesAsync(cancellationToken).ConfigureAwait(false);
            return PrintWorkspaces(context, workspaces, parsed.GetValue(json), parsed.GetValue(csv));
        });

        var name = new Argument<string>("name") { Description = "The new workspace's name (unique; no '/')." };
        var createJson = new Option<bool>("--json") { Description = "Print the workspace as the API returns it." };
        var create = new Command("create", "Create a workspace; you own it.") { name, createJson };
        create.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var workspace = await client.CreateWorkspaceAsync(parsed.GetRequiredValue(name), cancellationToken).ConfigureAwait(false);
            return PrintWorkspaces(context, [workspace], parsed.GetValue(createJson), csv: false);
        });
        var command = new Command("workspace", "Manage workspaces, the groups of projects.") { list, create };
        command.Aliases.Add("w");
        return command;
    }

    public static Command Project(CliContext context)
    {
        var workspace = new Argument<string>("workspace_name") { Description = "The workspace's name." };
        var json = new Option<bool>("--json") { Description = "Print the projects as the API returns them." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var list = new Command("list", "List a workspace's projects.") { workspace, json, csv };
        list.Aliases.Add("ls");
        list.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var found = await FindWorkspaceAsync(client, parsed.GetRequiredValue(workspace), cancellationToken).ConfigureAwait(false);
            var projects = await client.ListProjectsAsync(found.Id, cancellationToken).ConfigureAwait(false);
            return PrintProjects(context, projects, parsed.GetValue(json), parsed.GetValue(csv));
        });

        var createWorkspace = new Argument<string>("workspace_name") { Description = "The workspace to create it in." };
        var name = new Argument<string>("name") { Description = "The new project's name (unique in the workspace; no '/')." };
        var description = new Option<string?>("--description", "-d") { Description = "What the project is for." };
        var createJson = new Option<bool>("--json") { Description = "Print the project as the API returns it." };
        var create = new Command("create", "Create a project in a workspace (its owner or an admin may).") { createWorkspace, name, description, createJson };
        create.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var found = await FindWorkspaceAsync(client, parsed.GetRequiredValue(createWorkspace), cancellationToken).ConfigureAwait(false);
            var project = await client.CreateProjectAsync(found.Id, parsed.GetRequiredValue(name), parsed.GetValue(description), cancellationToken)
                .ConfigureAwait(false);
            return PrintProjects(context, [project], parsed.GetValue(createJson), csv: false);
        });
        var command = new Command("project", "Manage projects, the groups of experiments.") { list, create };
        command.Aliases.Add("p");
        return command;
    }

    /// <summary>
    /// The project id of <c>--project_id N</c> or <c>--project WORKSPACE/PROJECT</c> (at most one of them); null for neither,
    /// which the master takes as the default project.
    /// </summary>
    public static async Task<int?> ResolveAsync(DeterminantClient client, int? projectId, string? projectPath, CancellationToken cancellationToken)
    {
        if (projectId is not null && projectPath is not null)
            throw new CliException(ExitCodes.Usage, "use at most one of --project_id and --project");
        if (projectPath is null)
            return projectId;
        var slash = projectPath.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == projectPath.Length - 1 || projectPath.IndexOf('/', slash + 1) >= 0)
            throw new CliException(ExitCodes.Usage, $"--project '{projectPath}' must be WORKSPACE/PROJECT, e.g. Uncategorized/Uncategorized");
        try
        {
            return (await client.FindProjectAsync(projectPath[..slash], projectPath[(slash + 1)..], cancellationToken).ConfigureAwait(false)).Id;
        }
        catch (DeterminantApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound)
        {
            throw new CliException(ExitCodes.NotFound, $"--project '{projectPath}': {e.Message}; run 'det workspace list' and 'det project list WORKSPACE' to see them");
        }
    }

    private static async Task<WorkspaceDto> FindWorkspaceAsync(DeterminantClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.FindWorkspaceAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (DeterminantApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound)
        {
            throw new CliException(ExitCodes.NotFound, $"{e.Message}; run 'det workspace list' to see them");
        }
    }

    private static int PrintWorkspaces(CliContext context, IReadOnlyList<WorkspaceDto> workspaces, bool json, bool csv) =>
        ListOutput.Write(context.Output, workspaces, ApiJsonContext.Default.WorkspaceDto, json, csv, WorkspaceHeaders,
            w => [Formats.Int(w.Id), w.Name, Formats.Int(w.NumProjects), Formats.Int(w.NumExperiments), w.Username]);

    private static int PrintProjects(CliContext context, IReadOnlyList<ProjectDto> projects, bool json, bool csv) =>
        ListOutput.Write(context.Output, projects, ApiJsonContext.Default.ProjectDto, json, csv, ProjectHeaders,
            p => [Formats.Int(p.Id), p.Name, p.Description ?? "", Formats.Int(p.NumExperiments), Formats.Int(p.NumActiveExperiments), p.Username]);
}
