namespace Determinant.Protocol.Agent;

/// <summary>One slot an agent offers: a GPU, or one CPU slot on an agent without GPUs.</summary>
/// <param name="Index">Agent-local index; what <c>DET_SLOT_IDS</c> and launch commands name.</param>
/// <param name="Type"><see cref="SlotTypes.Cpu"/> or <see cref="SlotTypes.Cuda"/>.</param>
/// <param name="Device">The GPU's name as <c>nvidia-smi</c> reports it; null for CPU slots.</param>
public sealed record AgentSlot(int Index, string Type, string? Device);
