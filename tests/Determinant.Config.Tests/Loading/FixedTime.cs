namespace Determinant.Config.Tests.Loading;

/// <summary>A clock stopped at one instant, so runtime defaults are repeatable.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
