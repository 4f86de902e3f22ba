"""Writes the .npz and .csv dataset fixtures of DatasetApiContract (NumPy 2.x). Run from this folder:
python3 generate_fixtures.py. The tests only read the files; they never run Python."""
import numpy as np

# 12 examples, d = 3, c = 2; values exact in decimal so xy.csv holds the same content as xy.npz
X = (np.arange(36, dtype=np.float64).reshape(12, 3) * 0.25 - 4.0)
X[:, 2] = 7.5  # a constant column: standardisation leaves it centred (zeros)
Y = np.stack([np.arange(12) * 0.5, (np.arange(12) % 3) - 1.0], axis=1)

np.savez("xy.npz", X=X, Y=Y)
# the same values as float32 / int32, big-endian, Fortran order, compressed: same canonical content
np.savez_compressed("xy_f4_be_fortran.npz", X=np.asfortranarray(X.astype(">f4")), Y=Y.astype(">f8"))
with open("xy.csv", "w") as f:
    f.write("a,b,c,t1,t2\n")
    for x, y in zip(X, Y):
        f.write(",".join(repr(float(v)) for v in list(x) + list(y)) + "\n")

Xn = X.copy(); Xn[3, 1] = np.nan
np.savez("nan.npz", X=Xn, Y=Y)
Xi = X.copy(); Xi[5, 0] = np.inf
np.savez("inf.npz", X=Xi, Y=Y)
np.savez("missing_y.npz", X=X)
np.savez("row_mismatch.npz", X=X, Y=Y[:10])
np.savez("complex.npz", X=X.astype(np.complex128), Y=Y)
np.savez("uint8.npz", X=X.astype(np.uint8), Y=Y)
np.savez("vector_x.npz", X=np.arange(12.0), Y=Y)
with open("xy.npz", "rb") as f:
    data = f.read()
with open("truncated.npz", "wb") as f:
    f.write(data[: len(data) // 2])
