using static TorchSharp.torch;

namespace Determinant.Harness.Trial;

/// <summary>A learning-rate scheduler the harness steps, with the count of steps it took (its checkpointed state).</summary>
internal sealed class WrappedScheduler(optim.lr_scheduler.LRScheduler scheduler, LRSchedulerStepMode stepMode)
{
    public optim.lr_scheduler.LRScheduler Scheduler { get; } = scheduler;

    public LRSchedulerStepMode StepMode { get; } = stepMode;

    public long Steps { get; private set; }

    public void Step()
    {
        Scheduler.step();
        Steps++;
    }

    /// <summary>Brings a freshly built scheduler to <paramref name="steps"/> by stepping it that many times.</summary>
    public void Replay(long steps)
    {
        while (Steps < steps)
            Step();
    }
}
