namespace Determinant.Config;

/// <summary>The unit of a <see cref="Length"/>.</summary>
public enum LengthUnit
{
    /// <summary>A bare integer: the training code decides what it means (the trial-class harness reads it as epochs).</summary>
    Unitless,

    /// <summary>Batches (steps) of the global batch size.</summary>
    Batches,

    /// <summary>Records (samples); converted to batches by dividing by the global batch size.</summary>
    Records,

    /// <summary>Epochs; converted to batches through <c>records_per_epoch</c>.</summary>
    Epochs,
}
