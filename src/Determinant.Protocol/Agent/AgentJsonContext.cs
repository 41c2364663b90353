using System.Text.Json;
using System.Text.Json.Serialization;

namespace Determinant.Protocol.Agent;

/// <summary>Source-generated JSON for the master↔agent protocol (docs/agent-protocol.md): camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RegisterAgentRequest))]
[JsonSerializable(typeof(RegisterAgentResponse))]
[JsonSerializable(typeof(AgentCommandsResponse))]
[JsonSerializable(typeof(AllocationEvent))]
public sealed partial class AgentJsonContext : JsonSerializerContext;
