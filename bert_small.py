import torch, numpy as np
torch.manual_seed(0)
class Bert(torch.nn.Module):
    def __init__(self, vocab=1000, d=64, layers=2, heads=4, ffn=256):
        super().__init__()
        self.tok = torch.nn.Embedding(vocab, d); self.pos = torch.nn.Embedding(512, d); self.ln = torch.nn.LayerNorm(d)
        layer = torch.nn.TransformerEncoderLayer(d, heads, ffn, activation="gelu", batch_first=True)
        self.enc = torch.nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.pool = torch.nn.Linear(d, d)
    def forward(self, ids):
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        h = self.ln(self.tok(ids) + self.pos(pos))
        return torch.tanh(self.pool(self.enc(h)[:, 0]))
m = Bert().eval()
ids = torch.randint(0, 1000, (2, 16))
with torch.no_grad(): y = m(ids)
torch.onnx.export(m, ids, "bert_small.onnx", opset_version=14, input_names=["ids"], dynamic_axes={"ids": {0: "batch", 1: "seq"}})
np.save("bert_small_in.npy", ids.numpy()); np.save("bert_small_out.npy", y.numpy())
