using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Determinant.Config;

/// <summary>The <c>environment</c> section: image and variables of the task (REFERENCE.md §2.7).</summary>
public sealed record EnvironmentConfig
{
    /// <summary>Container images; null leaves the master's default. Applies only when tasks run in containers.</summary>
    public EnvironmentImage? Image { get; init; }

    /// <summary>Variables added to the task's environment; none may start with <c>DET_</c>.</summary>
    public EnvironmentVariables EnvironmentVariables { get; init; } = EnvironmentVariables.Empty;

    /// <summary>Pull the image even when the agent has it.</summary>
    public bool ForcePullImage { get; init; }

    /// <summary>Registry credentials, kept as given.</summary>
    public JsonObject? RegistryAuth { get; init; }

    /// <summary>Linux capabilities to add to the container.</summary>
    public ImmutableArray<string> AddCapabilities { get; init; } = [];

    /// <summary>Linux capabilities to drop from the container.</summary>
    public ImmutableArray<string> DropCapabilities { get; init; } = [];

    /// <summary>Ports exposed through the master's proxy.</summary>
    public ImmutableArray<ProxyPort> ProxyPorts { get; init; } = [];

    /// <summary>Named ports the task listens on.</summary>
    public ImmutableSortedDictionary<string, int> Ports { get; init; } = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal);

    /// <summary>A Kubernetes pod spec, kept as given.</summary>
    public JsonObject? PodSpec { get; init; }

    /// <summary>Compares by content.</summary>
    public bool Equals(EnvironmentConfig? other) =>
        other is not null && Equals(Image, other.Image) && EnvironmentVariables.Equals(other.EnvironmentVariables)
        && ForcePullImage == other.ForcePullImage && ValueEquality.Json(RegistryAuth, other.RegistryAuth)
        && ValueEquality.Sequence(AddCapabilities, other.AddCapabilities) && ValueEquality.Sequence(DropCapabilities, other.DropCapabilities)
        && ValueEquality.Sequence(ProxyPorts, other.ProxyPorts) && ValueEquality.Map(Ports, other.Ports)
        && ValueEquality.Json(PodSpec, other.PodSpec);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Image, EnvironmentVariables, ForcePullImage, Ports.Count);
}
