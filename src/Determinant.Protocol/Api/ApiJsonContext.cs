using System.Text.Json;
using System.Text.Json.Serialization;

namespace Determinant.Protocol.Api;

/// <summary>Source-generated JSON for the REST API's request and response records (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(UsersResponse))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(SetPasswordRequest))]
[JsonSerializable(typeof(MasterInfo))]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(ExperimentResponse))]
[JsonSerializable(typeof(ExperimentsResponse))]
[JsonSerializable(typeof(ModelDefinitionResponse))]
[JsonSerializable(typeof(PatchExperimentRequest))]
[JsonSerializable(typeof(PatchTrialRequest))]
[JsonSerializable(typeof(PreviewGcResponse))]
[JsonSerializable(typeof(BestMetricResponse))]
[JsonSerializable(typeof(TrialResponse))]
[JsonSerializable(typeof(TrialsResponse))]
[JsonSerializable(typeof(MetricsResponse))]
[JsonSerializable(typeof(TrialLogLine))]
[JsonSerializable(typeof(CheckpointResponse))]
[JsonSerializable(typeof(CheckpointsResponse))]
[JsonSerializable(typeof(AgentsResponse))]
[JsonSerializable(typeof(ResourcePoolsResponse))]
[JsonSerializable(typeof(CreateWorkspaceRequest))]
[JsonSerializable(typeof(CreateProjectRequest))]
[JsonSerializable(typeof(WorkspaceResponse))]
[JsonSerializable(typeof(WorkspacesResponse))]
[JsonSerializable(typeof(ProjectResponse))]
[JsonSerializable(typeof(ProjectsResponse))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
