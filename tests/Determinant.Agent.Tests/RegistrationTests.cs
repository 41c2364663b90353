using Determinant.Agent.Tests.Support;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task Register_OffersCpuSlotsInItsPool_WhenSlotsAreGiven()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master, new Dictionary<string, string?> { ["slots"] = "3", ["resource_pool"] = "cpus" });

        var registration = await Eventually.GetAsync(() => master.RegistrationAt(0), "the registration");

        Assert.Equal(agent.AgentId, registration.AgentId);
        Assert.Equal([new AgentSlot(0, "cpu", null), new AgentSlot(1, "cpu", null), new AgentSlot(2, "cpu", null)], registration.Slots);
        Assert.Equal("cpus", registration.ResourcePool);
        Assert.Equal(Environment.MachineName, registration.Hostname);
        Assert.Empty(registration.Allocations);
        Assert.False(string.IsNullOrEmpty(registration.Version));
    }

    [Fact]
    public async Task Register_IsRetried_UntilTheMasterAnswers()
    {
        await using var master = await FakeMaster.StartAsync();
        master.Unavailable = true;
        await using var agent = await AgentUnderTest.StartAsync(master);
        await Eventually.TrueAsync(() => master.RefusedRequests >= 2, "refused registrations");

        master.Unavailable = false;

        await Eventually.GetAsync(() => master.RegistrationAt(0), "the registration");
    }
}
