namespace Determinant.Protocol.Agent;

/// <summary>Where the agent gets a task's model definition (a gzip-compressed tar); one of the two is set.</summary>
/// <param name="Url">
/// A path on the master (or an absolute URL) that answers the archive as <c>application/gzip</c> to the agent token,
/// e.g. <c>/api/v1/agents/{agentId}/allocations/{allocationId}/model_def</c>.
/// </param>
/// <param name="TarGzBase64">The archive inline, base64; saves a round trip for small model definitions.</param>
public sealed record ModelDefinitionSource(string? Url = null, string? TarGzBase64 = null);
