namespace Determinant.Protocol.Agent;

/// <summary>
/// A port the task serves on (a notebook's, a TensorBoard's): the agent picks a free port on its address, passes it in
/// <paramref name="EnvVar"/> and reports it in the RUNNING event under <paramref name="Name"/>.
/// </summary>
/// <param name="Name">The port's name, e.g. <c>http</c>.</param>
/// <param name="EnvVar">The variable the task reads it from, e.g. <c>DET_TASK_PORT</c>.</param>
public sealed record TaskPort(string Name, string EnvVar);
