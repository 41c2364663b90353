using TorchSharp;

namespace Determinant.Client.Torch;

/// <summary>Where a loaded trial's model runs and where its compiled code is cached.</summary>
public sealed class TrialLoadOptions
{
    /// <summary>The device the trial's models are put on; the CPU unless set.</summary>
    public torch.Device Device { get; set; } = torch.CPU;

    /// <summary>
    /// The folder of compiled model definitions (one folder per content hash, reused across loads); when null,
    /// <c>$XDG_CACHE_HOME/determinant/models</c> or <c>~/.cache/determinant/models</c>.
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>The folder of <c>Determinant.Harness.dll</c> to compile against; when null, the folder the harness was loaded from.</summary>
    public string? HarnessDirectory { get; set; }
}
