namespace Determinant.Cli.Deploy;

/// <summary>What <c>cluster-up</c> was asked for.</summary>
internal sealed record LocalClusterSettings(
    LocalClusterLayout Layout, int Port, int Slots, string? InitialPassword, string Db, string? DbUrl, TimeSpan HealthTimeout);
