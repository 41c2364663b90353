using Determinant.Master.Domain;
using Determinant.Master.Experiments;
using Determinant.Protocol.Api;

namespace Determinant.Master.Tests.Unit;

public sealed class StatesTests
{
    [Theory]
    [InlineData(ExperimentState.Active, ExperimentState.Paused, true)]
    [InlineData(ExperimentState.Paused, ExperimentState.Active, true)]
    [InlineData(ExperimentState.Active, ExperimentState.StoppingCanceled, true)]
    [InlineData(ExperimentState.StoppingCanceled, ExperimentState.StoppingKilled, true)]
    [InlineData(ExperimentState.StoppingKilled, ExperimentState.StoppingCanceled, false)]
    [InlineData(ExperimentState.StoppingCompleted, ExperimentState.StoppingError, true)]
    [InlineData(ExperimentState.StoppingError, ExperimentState.StoppingKilled, false)]
    [InlineData(ExperimentState.StoppingCompleted, ExperimentState.Completed, true)]
    [InlineData(ExperimentState.Completed, ExperimentState.Active, false)]
    [InlineData(ExperimentState.Canceled, ExperimentState.StoppingKilled, false)]
    public void Accepts_FollowsTheTransitionTable(ExperimentState from, ExperimentState to, bool accepted) =>
        Assert.Equal(accepted, States.Accepts(from, to));

    [Theory]
    [InlineData(ExperimentState.StoppingCompleted, ExperimentState.Completed)]
    [InlineData(ExperimentState.StoppingCanceled, ExperimentState.Canceled)]
    [InlineData(ExperimentState.StoppingKilled, ExperimentState.Canceled)]
    [InlineData(ExperimentState.StoppingError, ExperimentState.Error)]
    public void TerminalOf_MapsStoppingStates(ExperimentState stopping, ExperimentState terminal) =>
        Assert.Equal(terminal, States.TerminalOf(stopping));

    [Theory]
    [InlineData("STATE_STOPPING_KILLED", ExperimentState.StoppingKilled)]
    [InlineData("active", ExperimentState.Active)]
    public void ParseExperimentState_AcceptsPrefixedAndBareNames(string text, ExperimentState state) =>
        Assert.Equal(state, StateNames.ParseExperimentState(text));

    [Fact]
    public void ToWire_UsesTheStatePrefix() => Assert.Equal("STATE_STOPPING_COMPLETED", ExperimentState.StoppingCompleted.ToWire());
}
