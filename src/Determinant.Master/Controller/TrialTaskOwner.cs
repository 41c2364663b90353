using Determinant.Master.Data.Entities;
using Determinant.Master.ResourceManagers;
using Determinant.Master.Tasks;

namespace Determinant.Master.Controller;

/// <summary>Trials as tasks: the experiment controller decides their allocations' starts and exits (REFERENCE.md §5.4).</summary>
internal sealed class TrialTaskOwner(ExperimentController controller, TrialTaskSpecs specs) : ITaskOwner
{
    public IReadOnlyList<TaskType> Types { get; } = [TaskType.Trial];

    public Task<AllocationGrant> StartAllocationAsync(string taskId, AllocatedResources resources, CancellationToken cancellationToken) =>
        controller.StartAllocationAsync(taskId, resources, cancellationToken);

    public Task<TaskSpec> BuildSpecAsync(AllocationGrant grant, CancellationToken cancellationToken) => specs.BuildAsync(grant, cancellationToken);

    public Task AllocationExitedAsync(string allocationId, AllocationExit exit, CancellationToken cancellationToken) =>
        controller.RecordAllocationExitAsync(allocationId, exit, cancellationToken);

    public Task<byte[]?> ArchiveAsync(string allocationId, CancellationToken cancellationToken) => specs.ArchiveAsync(allocationId, cancellationToken);
}
