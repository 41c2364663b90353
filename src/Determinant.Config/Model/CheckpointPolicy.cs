namespace Determinant.Config;

/// <summary>When the trial-class harness checkpoints after a validation (<c>checkpoint_policy</c>, REFERENCE.md §4.3).</summary>
public enum CheckpointPolicy
{
    /// <summary>Only when the validation is the best of the experiment so far (the default).</summary>
    Best,

    /// <summary>After every validation.</summary>
    All,

    /// <summary>Never because of a validation.</summary>
    None,
}
