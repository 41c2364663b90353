namespace Determinant.ModelDefinitions;

/// <summary>The kinds of <see cref="CompileWorkerResponse"/>.</summary>
internal enum CompileWorkerOutcome
{
    /// <summary>The setup was read and the compiler warmed up.</summary>
    Ready,

    /// <summary>The compiler ran; the result says whether the code compiled.</summary>
    Compiled,

    /// <summary>The harness is not where the setup says, or it lacks the trial types (a deployment error).</summary>
    Unavailable,

    /// <summary>The request itself was wrong, such as two files at one path.</summary>
    InvalidRequest,

    /// <summary>The compiler ran out of the memory the worker may use; the worker exits after answering.</summary>
    MemoryLimit,

    /// <summary>The compiler failed in a way none of the above covers; the message names the exception.</summary>
    Failed,
}
