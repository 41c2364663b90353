using System.Text.Json.Nodes;

namespace Determinant.Protocol.Api;

/// <summary><c>POST /api/v1/experiments</c>.</summary>
public sealed record CreateExperimentRequest(
    string Config,
    IReadOnlyList<ModelDefinitionFile>? ModelDefinition = null,
    bool Activate = true,
    bool ValidateOnly = false,
    int? ProjectId = null,
    int? ParentId = null);

/// <summary>The created experiment (null when only validated), its resolved config and the config warnings.</summary>
public sealed record CreateExperimentResponse(ExperimentDto? Experiment, JsonObject Config, IReadOnlyList<string> Warnings);

/// <summary>An experiment as lists and details show it.</summary>
public sealed record ExperimentDto(
    int Id,
    string Name,
    string? Description,
    ExperimentState State,
    bool Archived,
    int UserId,
    string Username,
    DateTime StartTime,
    DateTime? EndTime,
    double Progress,
    int? ParentId,
    int ProjectId,
    string SearcherType,
    int NumTrials,
    IReadOnlyList<string> Labels,
    int? WorkspaceId = null,
    string? ProjectName = null,
    string? WorkspaceName = null,
    string? Notes = null);

/// <summary><c>GET /api/v1/experiments/{id}</c>.</summary>
public sealed record ExperimentResponse(ExperimentDto Experiment, JsonObject Config);

/// <summary>Where a page sits in the whole list.</summary>
public sealed record Pagination(int Offset, int Limit, int StartIndex, int EndIndex, int Total);

/// <summary><c>GET /api/v1/experiments</c>.</summary>
public sealed record ExperimentsResponse(IReadOnlyList<ExperimentDto> Experiments, Pagination Pagination);

/// <summary><c>GET /api/v1/experiments/{id}/model_def</c>: the model definition as a base64 gzip-compressed tar.</summary>
public sealed record ModelDefinitionResponse(string B64Tgz);

/// <summary><c>GET /api/v1/experiments/{id}/searcher/best_searcher_validation_metric</c>.</summary>
public sealed record BestMetricResponse(double Metric);
