using Determinant.Searchers.Sampling;

namespace Determinant.Searchers.Tests;

public sealed class MersenneTwisterTests
{
    [Fact]
    public void Intn_MatchesNumPy_WhenSeed42AndTen()
    {
        var rng = new MersenneTwister(42);
        var draws = Enumerable.Range(0, 12).Select(_ => rng.NextBelow(10)).ToArray();
        Assert.Equal(new ulong[] { 6, 3, 7, 4, 6, 9, 2, 6, 7, 4, 3, 7 }, draws);
    }

    [Fact]
    public void Uniform_MatchesNumPy_WhenSeed1()
    {
        var rng = new MersenneTwister(1);
        Assert.Equal(0.417022004702574, rng.Uniform(0, 1));
        Assert.Equal(0.7203244934421581, rng.Uniform(0, 1));
        Assert.Equal(0.00011437481734488664, rng.Uniform(0, 1));
    }

    [Fact]
    public void Intn_MatchesNumPy_WhenSeed999AndTwoToThe31()
    {
        var rng = new MersenneTwister(999);
        var draws = Enumerable.Range(0, 3).Select(_ => rng.NextBelow(1UL << 31)).ToArray();
        Assert.Equal(new ulong[] { 1303213504, 648491356, 118207333 }, draws);
    }

    [Fact]
    public void Intn_MasksToLimitBits_WhenLimitIsAllOnes()
    {
        // limit = 7 is its own mask, so no draw is rejected and each value is the low three bits of one Bits32.
        var a = new MersenneTwister(5);
        var b = new MersenneTwister(5);
        for (var i = 0; i < 100; i++)
            Assert.Equal(b.NextUInt32() & 7, a.NextBelow(8));
    }

    [Fact]
    public void Intn_DrawsHighThenLowWord_WhenLimitExceeds32Bits()
    {
        var a = new MersenneTwister(7);
        var b = new MersenneTwister(7);
        var n = (1UL << 40) + 12345;
        var value = a.NextBelow(n);
        ulong expected;
        do
        {
            var hi = (ulong)b.NextUInt32() << 32;
            expected = (hi | b.NextUInt32()) & ((1UL << 41) - 1);
        }
        while (expected > n - 1);
        Assert.Equal(expected, value);
        Assert.True(value < n);
    }

    [Fact]
    public void Intn_ReturnsZeroWithoutDrawing_WhenNIsOne()
    {
        var a = new MersenneTwister(3);
        var b = new MersenneTwister(3);
        Assert.Equal(0UL, a.NextBelow(1));
        Assert.Equal(b.NextUInt32(), a.NextUInt32());
    }

    [Fact]
    public void Uniform_Throws_WhenHiIsNotAboveLo()
    {
        var rng = new MersenneTwister(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.Uniform(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextBelow(0));
    }

    [Fact]
    public void State_RestoresTheSameStream_WhenSavedMidBlock()
    {
        var rng = new MersenneTwister(2024);
        for (var i = 0; i < 700; i++)
            rng.NextUInt32();
        var key = new byte[MersenneTwister.StateWords * 4];
        rng.WriteState(key);
        var copy = MersenneTwister.FromState(key, rng.Position);
        for (var i = 0; i < 1000; i++)
            Assert.Equal(rng.NextUInt32(), copy.NextUInt32());
    }

    [Fact]
    public void FromState_Throws_WhenTheStateIsMalformed()
    {
        Assert.Throws<FormatException>(() => MersenneTwister.FromState(new byte[10], 0));
        Assert.Throws<FormatException>(() => MersenneTwister.FromState(new byte[MersenneTwister.StateWords * 4], 625));
    }
}
