namespace Determinant.ModelDefinitions;

/// <summary>The first line the master sends a compile worker: how to compile, and the stack its compiler thread gets.</summary>
internal sealed record CompileWorkerSetup(ModelDefinitionCompilerOptions Compiler, int StackMib);
