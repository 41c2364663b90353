using Determinant.Master.Domain;
using System.Text.Json.Nodes;
using Determinant.Config;
using Determinant.Master.Data.Entities;
using Determinant.Protocol.Api;

namespace Determinant.Master.Experiments;

/// <summary>The names of an experiment's project and workspace, as its API record shows them.</summary>
internal sealed record ProjectNames(string ProjectName, int WorkspaceId, string WorkspaceName);

/// <summary>Rows to API records.</summary>
internal static class ExperimentMapper
{
    public static ExperimentDto ToDto(ExperimentEntity e, ExperimentConfig config, string username, int numTrials, ProjectNames project) => new(
        e.Id, e.Name, config.Description, e.State, e.Archived, e.OwnerId, username, e.StartTime, e.EndTime, e.Progress,
        e.ParentId, e.ProjectId, config.Searcher.Name, numTrials, config.Labels, project.WorkspaceId, project.ProjectName, project.WorkspaceName,
        e.Notes);

    public static JsonObject ConfigObject(string configJson) => JsonNode.Parse(configJson)!.AsObject();
}
