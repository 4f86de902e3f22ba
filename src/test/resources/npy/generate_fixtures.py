"""Regenerates the NumPy fixtures read by NpyTest and NpzTest.

The tests never run Python: these files are committed. Generated with NumPy 2.x:
    cd src/test/resources/npy && python3 generate_fixtures.py
"""
import numpy as np
from numpy.lib import format as npf

# Golden files: the Java writer must reproduce these bytes exactly.
np.save("golden_f8_2x3.npy", np.arange(6.0).reshape(2, 3))
np.save("golden_f4_5.npy", np.array([0.5, -1.0, 2.25, 1e-3, 3e38], dtype="<f4"))
np.save("golden_i8_scalar.npy", np.array(-42, dtype="<i8"))
np.save("golden_i4_2x3x4.npy", (np.arange(24, dtype="<i4") - 12).reshape(2, 3, 4))
np.save("golden_f8_0x3.npy", np.zeros((0, 3)))
np.save("golden_f8_12345678901x0.npy", np.zeros((12345678901, 0)))

# Byte orders and memory layouts the reader must convert.
np.save("be_f4_2x3.npy", np.array([[1.5, -2.0, 3.25], [4.0, -0.0, 6e-8]], dtype=">f4"))
np.save("be_f8_3.npy", np.array([1.0 / 3.0, -2.5, 1e300], dtype=">f8"))
np.save("be_i8_2x2.npy", np.array([[1, -2], [2**62, -(2**63)]], dtype=">i8"))
np.save("be_i4_3.npy", np.array([7, -8, 2**31 - 1], dtype=">i4"))
np.save("le_i8_2x3.npy", np.array([[0, 1, -1], [2**40, -(2**40), 2**63 - 1]], dtype="<i8"))
np.save("fortran_f8_2x3x4.npy", np.asfortranarray(np.arange(24.0).reshape(2, 3, 4)))
np.save("fortran_be_i4_3x2.npy", np.asfortranarray(np.arange(6, dtype=">i4").reshape(3, 2)))

# Format versions 2.0 and 3.0.
with open("v2_f8_2x2.npy", "wb") as f:
    npf.write_array(f, np.array([[1.0, 2.0], [3.0, 4.0]]), version=(2, 0))
with open("v3_f4_3.npy", "wb") as f:
    npf.write_array(f, np.array([1.0, 2.0, 3.0], dtype="<f4"), version=(3, 0))

# Rejections: never unpickled by the Java reader.
np.save("object.npy", np.array([1, "a", None], dtype=object), allow_pickle=True)
np.save("structured.npy", np.zeros(2, dtype=[("a", "<f8"), ("b", "<i4")]))
np.save("uint8.npy", np.arange(3, dtype="|u1"))
np.save("complex.npy", np.array([1 + 2j]))

# Archives as np.savez (STORED) and np.savez_compressed (DEFLATED) write them.
arrays = dict(
    x=np.arange(12.0).reshape(3, 4),
    y=np.array([1.5, -2.5], dtype="<f4"),
    labels=np.array([3, 1, 2], dtype="<i8"),
)
np.savez("savez.npz", **arrays)
np.savez_compressed("savez_compressed.npz", **arrays)
