namespace NeuralAtlas.Symmetry.PartitionAlgebra;

/// <summary>Which basis of Hom_{S_n}((R^n)^{⊗k}, (R^n)^{⊗l}) a coefficient vector refers to.</summary>
public enum BasisKind
{
    /// <summary>D_π: entry 1 where the joint index is constant on every block of π (equalities only).</summary>
    Diagram,
    /// <summary>X_π: entry 1 where the joint index's equality pattern is exactly π (equalities and inequalities).</summary>
    Orbit,
}
