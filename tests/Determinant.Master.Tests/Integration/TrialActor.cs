using Determinant.Master.Domain;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Determinant.Master.Controller;
using Determinant.Master.ResourceManagers;
using Determinant.Master.Trials;

namespace Determinant.Master.Tests.Integration;

/// <summary>Plays a trial's task: takes an allocation as a scheduler would and talks to the Core API with its token.</summary>
public sealed class TrialActor
{
    private TrialActor(MasterHost host, int trialId, AllocationStart start)
    {
        Host = host;
        TrialId = trialId;
        Start = start;
        Token = start.Spec.Env["DET_SESSION_TOKEN"];
        RunId = int.Parse(start.Spec.Env["DET_TRIAL_RUN_ID"], System.Globalization.CultureInfo.InvariantCulture);
        Client = host.WithAllocationToken(Token);
    }

    public MasterHost Host { get; }

    /// <summary>The allocation as the task layer started it, with what it runs.</summary>
    internal AllocationStart Start { get; }

    public HttpClient Client { get; }

    public int TrialId { get; }

    public string AllocationId => Start.AllocationId;

    public string TaskId => Start.TaskId;

    /// <summary>The allocation token (<c>DET_SESSION_TOKEN</c>).</summary>
    public string Token { get; }

    public int RunId { get; }

    /// <summary>Starts the trial's next allocation through the task layer, as a resource manager does once it found one slot.</summary>
    public static async Task<TrialActor> StartAsync(MasterHost host, int trialId)
    {
        var taskId = await host.TaskOfTrialAsync(trialId);
        var start = await host.Allocations.StartAsync(taskId, new AllocatedResources(1, "default"), CancellationToken.None)
            ?? throw new InvalidOperationException($"trial {trialId} did not start");
        return new TrialActor(host, trialId, start);
    }

    /// <summary>The current op's length, or null when the answer is "no op now".</summary>
    public async Task<ulong?> OperationAsync()
    {
        var response = await Client.GetAsync($"/api/v1/trials/{TrialId}/searcher/operation");
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (bool)body["completed"]! ? null : ulong.Parse((string)body["op"]!["validateAfter"]!["length"]!, System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<HttpResponseMessage> ReportAsync(string group, ulong steps, JsonObject avgMetrics) =>
        Client.PostAsJsonAsync($"/api/v1/trials/{TrialId}/metrics", new
        {
            group,
            metrics = new { trialId = TrialId, trialRunId = RunId, stepsCompleted = steps.ToString(System.Globalization.CultureInfo.InvariantCulture), reportTime = DateTimeOffset.UnixEpoch.AddSeconds(steps), metrics = new { avgMetrics } },
        });

    public Task<HttpResponseMessage> CompleteAsync(ulong length, double metric) =>
        Client.PostAsJsonAsync($"/api/v1/trials/{TrialId}/searcher/completed_operation",
            new { op = new { length = length.ToString(System.Globalization.CultureInfo.InvariantCulture) }, searcherMetric = metric });

    public async Task<bool> PollPreemptionAsync(int timeoutSeconds) =>
        (bool)(await Client.GetJsonAsync($"/api/v1/allocations/{AllocationId}/signals/preemption?timeout_seconds={timeoutSeconds}"))["preempt"]!;

    public Task AckAsync() => Client.PostOkAsync($"/api/v1/allocations/{AllocationId}/signals/ack_preemption");

    internal Task<TrialOutcome> ExitAsync(AllocationExitKind kind = AllocationExitKind.Clean) =>
        Host.Controller.RecordAllocationExitAsync(AllocationId, new AllocationExit(kind, kind == AllocationExitKind.Clean ? 0 : 1), CancellationToken.None);

    /// <summary>Ends the allocation the way a resource manager reports it, through the task layer.</summary>
    internal Task<bool> ReportExitAsync(AllocationExitKind kind = AllocationExitKind.Clean) =>
        Host.Allocations.ExitedAsync(AllocationId, new AllocationExit(kind, kind == AllocationExitKind.Clean ? 0 : 1), CancellationToken.None);
}
