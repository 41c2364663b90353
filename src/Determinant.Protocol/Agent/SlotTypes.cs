namespace Determinant.Protocol.Agent;

/// <summary>Slot types as they appear on the wire.</summary>
public static class SlotTypes
{
    /// <summary>A CPU slot (an agent without GPUs, or one started with <c>--slots N</c>).</summary>
    public const string Cpu = "cpu";

    /// <summary>An NVIDIA GPU.</summary>
    public const string Cuda = "cuda";
}
