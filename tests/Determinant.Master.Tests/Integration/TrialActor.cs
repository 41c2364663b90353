using Determinant.Master.ResourceManagers;
using Determinant.Master.Domain;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Determinant.Master.Controller;
using Determinant.Master.Trials;

namespace Determinant.Master.Tests.Integration;

/// <summary>Plays a trial's task: takes an allocation as a scheduler would and talks to the Core API with its token.</summary>
public sealed class TrialActor
{
    private TrialActor(MasterHost host, AllocationGrant grant)
    {
        Host = host;
        Grant = grant;
        Client = host.WithAllocationToken(grant.Token);
    }

    public MasterHost Host { get; }

    internal AllocationGrant Grant { get; }

    public HttpClient Client { get; }

    public int TrialId => Grant.TrialId;

    public string AllocationId => Grant.AllocationId;

    public static async Task<TrialActor> StartAsync(MasterHost host, int trialId) =>
        new(host, await host.Controller.StartAllocationAsync(trialId, CancellationToken.None));

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
            metrics = new { trialId = TrialId, trialRunId = Grant.RunId, stepsCompleted = steps.ToString(System.Globalization.CultureInfo.InvariantCulture), reportTime = DateTimeOffset.UnixEpoch.AddSeconds(steps), metrics = new { avgMetrics } },
        });

    public Task<HttpResponseMessage> CompleteAsync(ulong length, double metric) =>
        Client.PostAsJsonAsync($"/api/v1/trials/{TrialId}/searcher/completed_operation",
            new { op = new { length = length.ToString(System.Globalization.CultureInfo.InvariantCulture) }, searcherMetric = metric });

    public async Task<bool> PollPreemptionAsync(int timeoutSeconds) =>
        (bool)(await Client.GetJsonAsync($"/api/v1/allocations/{AllocationId}/signals/preemption?timeout_seconds={timeoutSeconds}"))["preempt"]!;

    public Task AckAsync() => Client.PostOkAsync($"/api/v1/allocations/{AllocationId}/signals/ack_preemption");

    internal Task<TrialOutcome> ExitAsync(AllocationExitKind kind = AllocationExitKind.Clean) =>
        Host.Controller.RecordAllocationExitAsync(AllocationId, new AllocationExit(kind, kind == AllocationExitKind.Clean ? 0 : 1), CancellationToken.None);
}
