"""Every string the app shows, in English and in Korean (한국어, the course lab's language).

Kept in the repository, never translated at run time. `tr(key, lang, **values)` formats one entry;
tests/test_i18n.py fails if an entry lacks a language or the two disagree on their {placeholders}.
Chart texts (ui/charts.py) are here too, under "chart.…".
"""

from __future__ import annotations

import re

LANGS = {"en": "English", "ko": "한국어"}

TEXT = {
    # --- navigation and page titles ---
    "page.home": {"en": "Home", "ko": "홈"},
    "page.lesson": {"en": "Lesson", "ko": "수업"},
    "page.train": {"en": "Train", "ko": "학습"},
    "page.chain": {"en": "Chain rule", "ko": "연쇄 법칙"},
    "page.compare": {"en": "Compare", "ko": "비교"},
    "page.robust": {"en": "Robustness", "ko": "시드별 안정성"},
    "page.map": {"en": "Map", "ko": "설정 격자"},
    "page.presenter": {"en": "Presenter link", "ko": "발표자 링크"},
    "presenter.network": {"en": "This page is open on {host}, which only this computer can reach: the students' "
                                "link and its QR code use this computer's network address, {ip}. It works while the "
                                "server listens on the network (streamlit run's default, not with --server.address "
                                "127.0.0.1).",
                          "ko": "이 페이지는 이 컴퓨터에서만 열 수 있는 {host}에서 열려 있어서, 학생용 링크와 QR 코드에는 이 "
                                "컴퓨터의 네트워크 주소 {ip}을/를 넣었습니다. 서버가 네트워크에서 접속을 받을 때만 "
                                "열립니다 (streamlit run의 기본값이며, --server.address 127.0.0.1로 실행하면 열리지 "
                                "않습니다)."},
    "presenter.no_network": {"en": "This page is open on this computer's own address and the computer has no network "
                                   "address: students cannot open this link. Connect it to the room's network, or "
                                   "deploy the app (README: Community Cloud).",
                             "ko": "이 페이지는 이 컴퓨터 자신의 주소에서 열려 있고 이 컴퓨터에는 네트워크 주소가 없어서, "
                                   "학생들은 이 링크를 열 수 없습니다. 강의실 네트워크에 연결하거나 앱을 배포하세요 "
                                   "(README: Community Cloud)."},
    "nav.robust": {"en": "Robustness", "ko": "안정성"},
    "nav.presenter": {"en": "Presenter", "ko": "발표자 링크"},
    # --- sidebar ---
    "side.presets": {"en": "Start from a net of the course lab", "ko": "실습의 신경망에서 시작하기"},
    "side.advanced": {"en": "Advanced", "ko": "고급 설정"},
    "side.advanced_changed": {"en": "Changed from the defaults: {names}", "ko": "기본값에서 바뀐 설정: {names}"},
    "side.following": {"en": "While you follow the lecturer, they choose the page, the net's settings and the page's "
                             "own controls (its links and controls are shown greyed out). To choose yourself, press "
                             "**Explore on my own** at the top of the page.",
                       "ko": "강의자를 따라가는 동안에는 보는 페이지와 신경망 설정, 페이지의 조작 항목을 강의자가 정합니다"
                             "(링크와 조작 항목은 흐리게 표시됩니다). 직접 고르려면 페이지 맨 위의 **혼자 살펴보기**를 "
                             "누르세요."},
    "side.lesson_settings": {"en": "The lesson chooses each step's nets itself. “Open in Train” under a step takes its "
                                   "net to the Train page, where every setting can be changed.",
                             "ko": "수업은 단계마다 신경망을 스스로 고릅니다. 단계 아래의 “학습 페이지에서 열기”를 누르면 "
                                   "그 신경망을 학습 페이지로 가져가서 모든 설정을 바꿔 볼 수 있습니다."},
    "preset.seed221": {"en": "Lab 2-2-1", "ko": "실습 2-2-1"},
    "preset.seed_deep": {"en": "Lab 2-10-10-10-1", "ko": "실습 2-10-10-10-1"},
    "preset.perceptron": {"en": "Perceptron", "ko": "퍼셉트론"},
    "preset.zero": {"en": "Zero init", "ko": "0으로 초기화"},
    "ctl.dataset": {"en": "Dataset", "ko": "데이터셋"},
    "ctl.hidden_layers": {"en": "Hidden layers", "ko": "은닉층 수"},
    "ctl.width": {"en": "Width", "ko": "너비"},
    "ctl.activation": {"en": "Activation", "ko": "활성화 함수"},
    "ctl.init": {"en": "Initial weights", "ko": "초기 가중치"},
    "ctl.lr": {"en": "Learning rate", "ko": "학습률"},
    "ctl.backend": {"en": "Gradients computed by", "ko": "기울기 계산"},
    "ctl.device": {"en": "Device", "ko": "장치"},
    "ctl.steps": {"en": "Steps", "ko": "학습 스텝 수"},
    "ctl.seed": {"en": "Seed", "ko": "시드"},
    "ctl.loss": {"en": "Loss", "ko": "손실 함수"},
    "ctl.optimizer": {"en": "Optimizer", "ko": "옵티마이저"},
    "ctl.l2": {"en": "L2 penalty", "ko": "L2 규제"},
    "loss.bce": {"en": "bce: cross-entropy", "ko": "bce: 교차 엔트로피"},
    "loss.mse": {"en": "mse: squared error", "ko": "mse: 제곱 오차"},
    "opt.sgd": {"en": "sgd (the lab's)", "ko": "sgd (실습)"},
    "opt.momentum": {"en": "momentum 0.9", "ko": "momentum 0.9"},
    "opt.adam": {"en": "adam", "ko": "adam"},
    "help.loss": {"en": "What training minimises. Cross-entropy's δ_L is (ŷ − y)/N; squared error keeps σ′(z) = ŷ(1 − ŷ) in "
                        "it, so a confidently wrong output learns slowly. The Chain-rule page shows the line.",
                  "ko": "학습이 줄이는 값입니다. 교차 엔트로피의 δ_L은 (ŷ − y)/N이고, 제곱 오차는 δ_L에 σ′(z) = ŷ(1 − ŷ)가 "
                        "남아 있어서 자신 있게 틀린 출력은 천천히 배웁니다. 연쇄 법칙 페이지에서 그 줄을 볼 수 있습니다."},
    "help.optimizer": {"en": "How a gradient becomes a step: plain SGD (the lab's), SGD with momentum 0.9, or Adam "
                       "(torch.optim's rules, written out by hand in mlp/optim.py).",
                 "ko": "기울기를 한 걸음으로 바꾸는 규칙입니다: 보통 SGD (실습), 모멘텀 0.9의 SGD, 또는 Adam "
                       "(torch.optim의 규칙을 mlp/optim.py에 직접 옮겨 썼습니다)."},
    "help.l2": {"en": "Adds l2/2 · Σ‖W‖² (weights only) to the cost: large weights cost more.",
                "ko": "비용에 l2/2 · Σ‖W‖² (가중치만)를 더합니다. 가중치가 클수록 비용이 커집니다."},
    "ctl.batch_size": {"en": "Batch size", "ko": "배치 크기"},
    "batch.full": {"en": "full", "ko": "전체"},
    "help.batch_size": {"en": "Full: every step's gradient uses all training points (the seed). A number: each step uses a "
                         "mini-batch of that many, reshuffled every epoch; the curve is still the cost on all points.",
                   "ko": "전체: 스텝마다 모든 학습용 점으로 기울기를 구합니다 (실습). 숫자: 스텝마다 그만큼의 미니배치를 "
                         "쓰고, 에포크마다 다시 섞습니다. 곡선은 여전히 모든 점에 대한 비용입니다."},
    "chain.lab_full_batch": {"en": "The lab's convention sums gradients over its full batch; with mini-batches it "
                                   "does not apply (set Batch size to full to see it).",
                             "ko": "실습의 규칙은 전체 배치의 기울기를 더합니다. 미니배치에서는 쓰지 않습니다 "
                                   "(보려면 배치 크기를 전체로 두세요)."},
    "ctl.test_fraction": {"en": "Held out for testing", "ko": "테스트용으로 떼어 둘 비율"},
    "help.test_fraction": {"en": "A share of a sampled dataset's points (circle, gauss, spiral) the net never trains on; their "
                         "cost is drawn dashed beside the training cost. Does the net generalise, or only memorise?",
                  "ko": "표본으로 뽑은 데이터셋(circle, gauss, spiral)의 점 가운데 신경망이 학습에 쓰지 않는 몫입니다. "
                        "그 점들의 비용을 학습 비용 옆에 점선으로 그립니다. 신경망이 일반화하는지, 외우기만 하는지 "
                        "볼 수 있습니다."},
    "side.test_ignored": {"en": "Points are held out from sampled datasets only (circle, gauss, spiral): this one "
                                "trains on all its points.",
                          "ko": "점을 떼어 두는 것은 표본 데이터셋(circle, gauss, spiral)에서만 합니다. 이 데이터셋은 "
                                "모든 점으로 학습합니다."},
    "metric.test_accuracy": {"en": "Test accuracy", "ko": "테스트 정확도"},
    "ctl.features": {"en": "Input features", "ko": "입력 특성"},
    "ctl.own_points": {"en": "Own points", "ko": "직접 만든 점"},
    "ctl.lang": {"en": "Language", "ko": "언어"},
    "ctl.logy": {"en": "Log scale for the cost", "ko": "비용을 로그 눈금으로"},
    "ctl.at": {"en": "Show the decision boundary and the weights at step", "ko": "결정 경계와 가중치를 볼 스텝"},
    "ctl.step": {"en": "Step", "ko": "스텝"},
    "ctl.lab": {"en": "Use the course lab's gradient convention: weight gradients summed over the batch, bias "
                      "gradients averaged (the lab's bug)",
                "ko": "실습 코드의 기울기 규칙 사용: 가중치 기울기는 배치에 대해 합하고 편향 기울기는 평균 (실습의 버그)"},
    "ctl.pins": {"en": "Pinned runs", "ko": "고정한 실행"},
    "ctl.n": {"en": "Seeds (nets trained at once)", "ko": "시드 수 (한 번에 학습하는 신경망 수)"},
    "ctl.lesson": {"en": "Lesson step", "ko": "수업 단계"},
    "ctl.presenter": {"en": "Presenter mode (projector layout, large fonts)", "ko": "발표 모드 (프로젝터 화면, 큰 글씨)"},
    "presenter.choose": {"en": "Choose controls to hide", "ko": "숨길 컨트롤을 고르세요"},
    "ctl.hide": {"en": "Hide", "ko": "숨기기"},
    "help.hidden_layers": {"en": "0 = a single perceptron: on x₁ and x₂ alone it cannot learn XOR (with the x₁x₂ input "
                          "under Advanced it can: Lesson step 8)",
                    "ko": "0 = 퍼셉트론 하나: x₁과 x₂만으로는 XOR을 배울 수 없습니다 (고급 설정에서 입력 x₁x₂를 더하면 "
                          "배웁니다: 수업 8단계)"},
    "help.width": {"en": "units in each hidden layer", "ko": "각 은닉층의 유닛 수"},
    "help.lr": {"en": "gradient-descent step size, log-spaced; the lab uses 1",
                "ko": "경사 하강법의 보폭 (로그 간격); 실습은 1을 씁니다"},
    "help.activation": {"en": "used in every hidden layer; the output is always a sigmoid",
                 "ko": "모든 은닉층에 쓰입니다; 출력층은 항상 시그모이드입니다"},
    "help.features": {"en": "What the input layer gets, computed from each point (x₁, x₂): TensorFlow Playground's "
                            "feature crosses. With x₁x₂ a single unit (no hidden layer) separates XOR.",
                      "ko": "각 점 (x₁, x₂)에서 계산해 입력층에 넣는 값입니다 (TensorFlow Playground의 특성 교차). "
                            "x₁x₂가 있으면 은닉층 없이 유닛 하나로도 XOR을 가를 수 있습니다."},
    "help.backend": {"en": "the same net and weights; the gradients come from the chain rule written out by hand or "
                           "from loss.backward() (and the update from mlp/optim.py or torch.optim: the same rule)",
                     "ko": "신경망과 가중치는 같고, 기울기를 직접 쓴 연쇄 법칙으로 구하는지 loss.backward()로 구하는지만 "
                           "다릅니다 (갱신도 mlp/optim.py와 torch.optim 중 하나로 하지만 규칙은 같습니다)"},
    "help.device": {"en": "auto: the GPU only for the work it is meant to do faster (nets of one sigmoid hidden layer "
                          "on XOR, like the lab's 2-2-1, trained in one fused kernel; sweeps of more than 1,024 nets; "
                          "not yet timed on a GPU), the cpu for the rest: a tiny net's step on a GPU is ~30 separate "
                          "kernel launches, slower than the cpu's (measured once). cuda: {status}",
                    "ko": "auto: GPU가 더 빠르도록 만든 작업에만 GPU를 씁니다. 실습의 2-2-1처럼 XOR을 배우는 은닉층 "
                          "하나짜리 시그모이드 신경망은 융합 커널 하나로 학습하고, 신경망을 1,024개 넘게 한꺼번에 "
                          "학습할 때도 GPU를 씁니다(GPU에서 시간을 재 본 적은 아직 없습니다). 그 밖에는 cpu를 씁니다. "
                          "작은 신경망의 한 스텝은 GPU에서 커널을 30번쯤 따로 실행해야 해서 cpu보다 느립니다(한 번 "
                          "측정). cuda: {status}"},
    "help.steps": {"en": "the lab trains for 10,001 steps", "ko": "실습은 10,001 스텝을 학습합니다"},
    "help.seed": {"en": "torch.manual_seed: the initial weights; for circle, gauss and spiral also which points are "
                        "drawn and which are held out, and with mini-batches their order",
                  "ko": "torch.manual_seed: 초기 가중치를 정합니다. circle, gauss, spiral에서는 어떤 점을 뽑고 어떤 점을 "
                        "떼어 둘지도, 미니배치를 쓰면 그 순서도 정합니다"},
    "help.step": {"en": "the weights before that step's update", "ko": "그 스텝에서 갱신하기 전의 가중치"},
    "init.default": {"en": "default (torch.nn.Linear)", "ko": "torch 기본값 (torch.nn.Linear)"},
    "init.notebook": {"en": "notebook (the lab's runs)", "ko": "실습 노트북의 신경망"},
    "init.xavier": {"en": "xavier (Glorot uniform)", "ko": "xavier (Glorot 균등 분포)"},
    "init.normal": {"en": "normal: N(0, 1)", "ko": "정규 분포 N(0, 1)"},
    "init.zeros": {"en": "zeros", "ko": "0 (모두 0)"},
    "help.init": {"en": "default: torch.nn.Linear's own U(±1/√fan_in) for W and b, drawn fresh from the seed. "
                        "notebook: the same rule, but the very nets the lab notebook printed (its 2-2-1 cell had "
                        "been run once before, so its log is the second draw after torch.manual_seed(777); its deep "
                        "net is the draw after that). xavier: Glorot uniform W, zero b. normal: N(0, 1) for W and b, "
                        "as the course's back-prop labs. zeros: every hidden unit of a layer starts identical and stays identical "
                        "(identical units get identical updates); on XOR that is a saddle point, every gradient 0 and "
                        "the cost at ln 2, while on AND or OR the net still learns.",
                  "ko": "default: W와 b 모두 torch.nn.Linear 기본값 U(±1/√fan_in)을 시드에서 새로 뽑습니다. "
                        "notebook: 같은 규칙이지만 실습 노트북이 출력한 바로 그 신경망입니다 (2-2-1 셀은 한 번 먼저 "
                        "실행되었으므로 그 로그는 torch.manual_seed(777) 뒤의 두 번째 신경망이고, 깊은 신경망은 그 "
                        "다음 것입니다). xavier: Glorot 균등 분포 W, b는 0. normal: 강의의 역전파 실습처럼 W와 b 모두 "
                        "N(0, 1). 0: 한 층의 은닉 유닛이 모두 똑같이 시작하고, 똑같이 갱신되므로 계속 똑같습니다. XOR에서는 "
                        "이것이 안장점이라 모든 기울기가 0이고 비용이 ln 2에 머물지만, AND나 OR에서는 그래도 "
                        "배웁니다."},
    "data.xor": {"en": "xor: the lab's truth table", "ko": "xor: 실습의 진리표"},
    "data.and": {"en": "and: linearly separable", "ko": "and: 직선으로 나눌 수 있음"},
    "data.or": {"en": "or: linearly separable", "ko": "or: 직선으로 나눌 수 있음"},
    "data.circle": {"en": "circle: a disc inside a ring", "ko": "circle: 고리 안의 원판"},
    "data.gauss": {"en": "gauss: two Gaussian blobs", "ko": "gauss: 가우시안 덩어리 두 개"},
    "data.spiral": {"en": "spiral: two interleaved spirals (hard)", "ko": "spiral: 서로 얽힌 나선 두 개 (어려움)"},
    "data.own": {"en": "own: your points (click or upload)", "ko": "own: 직접 만든 점 (클릭 또는 업로드)"},
    "backend.manual": {"en": "hand-written chain rule", "ko": "직접 구현한 연쇄 법칙"},
    "backend.autograd": {"en": "autograd (torch.nn + backward)", "ko": "autograd (torch.nn + backward)"},
    "device.unavailable": {"en": "cuda (unavailable)", "ko": "cuda (사용 불가)"},
    "device.no_cuda": {"en": "cuda is unavailable here: {status}. Training runs on the cpu.",
                       "ko": "여기서는 cuda를 쓸 수 없습니다: {status}. cpu에서 학습합니다."},
    "device.cpu_only": {"en": "this torch ({version}) is a CPU-only build",
                        "ko": "이 torch ({version})는 CPU 전용 빌드입니다"},
    "device.no_gpu": {"en": "torch {version} sees no GPU", "ko": "torch {version}가 GPU를 찾지 못했습니다"},
    "timing.run": {"en": "Measured: {per_step} on {device} ({steps} steps)",
                   "ko": "측정: {device}에서 {per_step} ({steps} 스텝)"},
    "timing.sweep": {"en": "Measured: {per_step} per net and step on {device}, {n} nets at once",
                     "ko": "측정: {device}에서 신경망·스텝당 {per_step}, 신경망 {n}개 동시 학습"},
    # --- link notes ---
    "note.unknown": {"en": "Ignored the link's unknown setting '{name}'.",
                     "ko": "링크의 알 수 없는 설정 '{name}'을/를 무시했습니다."},
    "note.repeated": {"en": "The link sets '{name}' {count} times; the last one counts.",
                      "ko": "링크가 '{name}'을/를 {count}번 설정합니다; 마지막 값을 씁니다."},
    "note.invalid": {"en": "Ignored {name}={value} from the link: {label} must be {allowed}. Using {default}.",
                     "ko": "링크의 {name}={value}을/를 무시했습니다: {label}에는 {allowed}만 쓸 수 있습니다. "
                           "{default}을/를 씁니다."},
    "note.no_points": {"en": "XOR's four points", "ko": "XOR의 점 4개"},
    "allowed.class_code": {"en": "a class code of 5 letters and digits, as the lecturer's screen shows it",
                           "ko": "강의 화면에 나온 영문자와 숫자 5자리 수업 코드"},
    "allowed.class_key": {"en": "the key of the lecturer's own link", "ko": "강의자 링크에 들어 있는 강의자 키"},
    "ctl.class_code": {"en": "Class code", "ko": "수업 코드"},
    "ctl.class_key": {"en": "Lecturer's key", "ko": "강의자 키"},
    "class.lecturer": {"en": "🎓 Class **{code}** · {n} following you", "ko": "🎓 수업 **{code}** · {n}명이 따라오는 중"},
    "class.following": {"en": "Following the lecturer's screen (class {code}): the page and its settings change with theirs.",
                        "ko": "강의자 화면을 따라가는 중입니다(수업 {code}). 강의자가 바꾸는 페이지와 설정이 그대로 반영됩니다."},
    "class.exploring": {"en": "Exploring on your own (class {code}): the lecturer's changes no longer move your page.",
                        "ko": "혼자 살펴보는 중입니다(수업 {code}). 강의자가 화면을 바꿔도 이 페이지는 그대로입니다."},
    "class.explore": {"en": "Explore on my own", "ko": "혼자 살펴보기"},
    "class.follow_again": {"en": "Follow again", "ko": "다시 따라가기"},
    "class.ended": {"en": "Class {code} is not open (it has ended, or this link's key is not its lecturer's): the page goes on on its own.",
                    "ko": "{code} 수업이 열려 있지 않습니다(수업이 끝났거나 이 링크의 키가 강의자 키가 아닙니다). 페이지는 혼자서도 그대로 쓸 수 있습니다."},
    "class.unavailable": {"en": "The live class is unavailable right now (its shared store cannot be reached): every page works on its own, and the class comes back when the store does.",
                          "ko": "지금은 실시간 수업을 쓸 수 없습니다(공유 저장소에 연결되지 않습니다). 모든 페이지는 혼자서도 그대로 쓸 수 있고, 저장소가 돌아오면 수업도 다시 이어집니다."},
    # each Lesson step's prediction question for the room: the question, then its answers, split by "|"
    "q.1": {"en": "Will a net with no hidden layer (one unit) learn XOR?|Yes|No",
            "ko": "은닉층이 없는 신경망(유닛 하나)이 XOR을 배울 수 있을까요?|예|아니요"},
    "q.2": {"en": "The lab's 2-2-1 net starts at a cost of about 0.7. What does its cost do in the first 2,000 steps?|It falls steadily|It stays near 0.7|It rises",
            "ko": "실습의 2-2-1 신경망은 비용 약 0.7에서 시작합니다. 처음 2,000스텝 동안 비용은 어떻게 될까요?|꾸준히 내려간다|0.7 근처에 머문다|올라간다"},
    "q.3": {"en": "Trained by the hand-written chain rule and by autograd, is the cost curve the same?|The same, up to rounding|Visibly different",
            "ko": "직접 구현한 연쇄 법칙과 autograd로 학습하면 비용 곡선이 같을까요?|반올림 오차만큼만 다르다|눈에 띄게 다르다"},
    "q.4": {"en": "After 10,001 steps, which net ends with the lower cost?|2-2-1|2-10-10-10-1|About the same",
            "ko": "10,001스텝 뒤 비용이 더 낮은 신경망은 어느 쪽일까요?|2-2-1|2-10-10-10-1|거의 같다"},
    "q.5": {"en": "At step 0 of the lab's 2-10-10-10-1 net, which layer's gradient is the smallest?|The first (input side)|The last (output)|All about equal",
            "ko": "실습의 2-10-10-10-1 신경망의 0스텝에서 기울기가 가장 작은 층은 어디일까요?|첫 층(입력 쪽)|마지막 층(출력)|모두 비슷하다"},
    "q.6": {"en": "The lab sums the weight gradients over its 4 points but averages the bias gradients. How big is each weight step?|4 times the mean's|The same|A quarter of the mean's",
            "ko": "실습 코드는 가중치 기울기를 점 4개에 대해 합하고 편향 기울기는 평균합니다. 가중치가 한 번에 움직이는 폭은 얼마일까요?|평균의 4배|같다|평균의 4분의 1"},
    "q.7": {"en": "What does each hidden unit of the trained 2-2-1 net draw on the input plane?|One straight line|The XOR pattern itself|A circle",
            "ko": "학습된 2-2-1 신경망의 은닉 유닛은 입력 평면에 무엇을 그릴까요?|직선 하나|XOR 무늬 자체|원"},
    "q.8": {"en": "Given x₁x₂ as a third input, can a single unit learn XOR?|Yes|No",
            "ko": "x₁x₂를 세 번째 입력으로 주면 유닛 하나로 XOR을 배울 수 있을까요?|예|아니요"},
    "q.9": {"en": "Same net, same learning rate: which loss leaves the plateau first?|Cross-entropy|Squared error|Both at once",
            "ko": "같은 신경망, 같은 학습률이라면 어느 손실이 정체 구간을 먼저 벗어날까요?|교차 엔트로피|제곱 오차|동시에"},
    "class.ask": {"en": "Ask the room", "ko": "학생들에게 묻기"},
    "class.ask_again": {"en": "Ask again: everyone answers anew", "ko": "다시 묻기: 응답을 새로 받습니다"},
    "class.ask_own": {"en": "Your own question (2–4 answers)", "ko": "직접 질문하기(답 2~4개)"},
    "class.question": {"en": "Question", "ko": "질문"},
    "class.answer_n": {"en": "Answer {n}", "ko": "답 {n}"},
    "class.reveal": {"en": "Reveal the answer", "ko": "정답 공개"},
    "class.answers": {"en": "{n} answered", "ko": "{n}명 응답"},
    "class.right": {"en": "The answer: **{answer}**", "ko": "정답: **{answer}**"},
    "class.mine": {"en": "Your answer: {mine}", "ko": "내 답: {mine}"},
    "class.mine_right": {"en": "Your answer: {mine} ✓ right", "ko": "내 답: {mine} ✓ 정답"},
    "class.settles": {"en": "The run that settles it, as the engine trained it: {runs}",
                      "ko": "답을 확인해 주는 실행(엔진이 학습한 그대로): {runs}"},
    "class.settles_6": {"en": "At step 0, every layer's weight gradient under the {lab} is **{ratio}×** the {mean}'s.",
                        "ko": "0스텝에서 {lab}을/를 따른 모든 층의 가중치 기울기는 {mean}의 **{ratio}배**입니다."},
    "class.your_answer": {"en": "Your answer (you may change it until the reveal)", "ko": "내 답(정답 공개 전까지 바꿀 수 있습니다)"},
    "class.too_fast": {"en": "Answers changed too often: wait a moment and try again.", "ko": "답을 너무 자주 바꿨습니다. 잠시 뒤에 다시 고르세요."},
    "class.own_rules": {"en": "A question needs its text and 2 to 4 answers.", "ko": "질문에는 질문 내용과 답 2~4개가 필요합니다."},
    "class.start": {"en": "Start a live class", "ko": "실시간 수업 시작하기"},
    "class.intro": {"en": "Students who open the class's link follow your screen: the page you show and every setting. A Lesson step reaches 100 students on one server in about a second and 200 in 1–2.5 seconds (up to 5 on a slower machine); another page or a moved setting takes longer (the README's live class). Each can explore on their own and follow again.",
                    "ko": "학생이 수업 링크를 열면 강의자가 보여 주는 페이지와 모든 설정을 따라옵니다. 수업 페이지의 단계는 서버 하나에 학생 100명이면 약 1초, 200명이면 1~2.5초(더 느린 컴퓨터에서는 5초까지) 뒤에 반영되고, 다른 페이지로 가거나 설정을 바꾸면 더 오래 걸립니다(README의 실시간 수업 참고). 학생은 언제든 혼자 살펴보다가 다시 따라갈 수 있습니다."},
    "class.code": {"en": "### Class code: {code}", "ko": "### 수업 코드: {code}"},
    "class.lecturer_link": {"en": "The presenter link above now carries the class's key: keep it to yourself and open it on the projector. The students' link carries the code only.",
                            "ko": "위의 발표자 링크에는 이제 수업 키가 들어 있습니다. 혼자만 쓰고 프로젝터 화면에서 여세요. 학생용 링크에는 수업 코드만 들어 있습니다."},
    "class.students_link": {"en": "The students' link (with the class code):", "ko": "학생용 링크(수업 코드 포함):"},
    "allowed.int": {"en": "a whole number from {lo} to {hi}", "ko": "{lo}부터 {hi}까지의 정수"},
    "allowed.one_of": {"en": "one of {options}", "ko": "다음 중 하나: {options}"},
    "allowed.bool": {"en": "1 or 0", "ko": "1 또는 0"},
    "allowed.pins": {"en": "runs written as key:value pairs, e.g. layers:3,width:10~layers:0 (at most {n})",
                     "ko": "key:value 쌍으로 쓴 실행, 예: layers:3,width:10~layers:0 (최대 {n}개)"},
    # --- the students' own points ---
    "own.title": {"en": "Your points ({n})", "ko": "직접 만든 점 ({n}개)"},
    "own.intro": {"en": "Click a spot on the decision-boundary plane below to add a point of the chosen class there; "
                        "the net trains again at once. Or upload a CSV with the columns x1,x2,label (label 0 or 1).",
                  "ko": "아래 결정 경계 평면의 한 곳을 클릭하면 고른 클래스의 점이 그 자리에 더해지고, 신경망이 곧바로 "
                        "다시 학습합니다. x1,x2,label 열(label은 0 또는 1)이 있는 CSV 파일을 올려도 됩니다."},
    "own.click_adds": {"en": "A click adds", "ko": "클릭하면 더할 점"},
    "own.undo": {"en": "Remove the last point", "ko": "마지막 점 지우기"},
    "own.restart": {"en": "Start again from XOR's 4 points", "ko": "XOR의 점 4개로 다시 시작"},
    "own.download": {"en": "Points (CSV)", "ko": "점 (CSV)"},
    "own.upload": {"en": "Upload points (CSV: x1,x2,label)", "ko": "점 올리기 (CSV: x1,x2,label)"},
    "own.upload_help": {"en": "At most {n} rows of finite numbers; label 0 or 1. The file is read in memory for this "
                              "session only: nothing is saved on the server.",
                        "ko": "유한한 수로 된 행을 최대 {n}개까지 올릴 수 있고, label은 0 또는 1입니다. 파일은 이 세션의 "
                              "메모리에서만 읽으며 서버에는 아무것도 저장하지 않습니다."},
    "own.not_in_link": {"en": "The link to this view does not carry your {n} points (too many, or too precise, for a "
                              "link): download them as CSV to share them.",
                        "ko": "이 화면의 링크에는 직접 만든 점 {n}개가 담기지 않습니다 (링크에 담기에는 너무 많거나 "
                              "너무 정밀합니다). 공유하려면 CSV로 내려받으세요."},
    "points.too_big": {"en": "This file is {size} MB: a file of points is at most {limit} KB (1,000 rows of x1,x2,label).",
                       "ko": "이 파일은 {size} MB입니다. 점 파일은 최대 {limit} KB입니다 (x1,x2,label 1,000행)."},
    "points.binary": {"en": "This is not a text file: upload a CSV with the columns x1,x2,label.",
                      "ko": "텍스트 파일이 아닙니다. x1,x2,label 열이 있는 CSV 파일을 올려 주세요."},
    "points.empty": {"en": "The file has no points: one row per point, x1,x2,label.",
                     "ko": "파일에 점이 없습니다. 점 하나에 한 행씩 x1,x2,label로 써 주세요."},
    "points.columns": {"en": "The columns must be x1, x2 and label; this file's first row is: {found}.",
                       "ko": "열은 x1, x2, label이어야 합니다. 이 파일의 첫 행: {found}"},
    "points.too_many": {"en": "The file has {n} points; at most {limit} are allowed.",
                        "ko": "파일의 점이 {n}개입니다. 최대 {limit}개까지만 쓸 수 있습니다."},
    "points.row_fields": {"en": "Row {row} has {count} values; each row needs three: x1,x2,label.",
                          "ko": "{row}행에 값이 {count}개 있습니다. 행마다 x1,x2,label 세 값이 필요합니다."},
    "points.row_number": {"en": "Row {row}: {column} is '{value}', not a number.",
                          "ko": "{row}행: {column} 값 '{value}'은/는 수가 아닙니다."},
    "points.row_range": {"en": "Row {row}: {column} is '{value}'; it must be a finite number from -{limit} to {limit}.",
                         "ko": "{row}행: {column} 값 '{value}'은/는 -{limit}부터 {limit}까지의 유한한 수여야 합니다."},
    "points.row_label": {"en": "Row {row}: the label is '{value}'; it must be 0 or 1.",
                         "ko": "{row}행: label 값 '{value}'은/는 0 또는 1이어야 합니다."},
    "points.full": {"en": "There are already {limit} points, the most a net trains on here.",
                    "ko": "점이 이미 {limit}개로, 여기서 학습할 수 있는 최대 개수입니다."},
    # --- the map ---
    "map.intro": {"en": "Why didn't mine learn? Each cell trains the current net (named above the map) with two settings changed, from "
                        "many seeds at once, and shows the share of seeds that solve the task (as on Robustness: a cost "
                        "below {bce_cost} with cross-entropy or {mse_cost} with squared error, and every point right; 95 % of "
                        "them for the noisy datasets). Hover a cell for the median steps to solve, the share that diverged and "
                        "the median final cost; click it to open that setting.",
                  "ko": "내 신경망은 왜 배우지 못했을까요? 각 칸은 현재 신경망(격자 위에 이름이 있습니다)에서 두 설정을 바꾸어 여러 시드로 "
                        "한꺼번에 학습하고, 과제를 푼 시드의 비율을 보여 줍니다 (시드별 안정성과 같은 기준: 비용이 교차 엔트로피로 {bce_cost}, "
                        "제곱 오차로 {mse_cost} 미만이고 모든 점을 맞힘, 잡음 있는 데이터셋은 점의 95 %). "
                        "칸에 마우스를 올리면 해결까지 걸린 스텝의 중앙값, 발산한 비율, 최종 비용의 중앙값이 보이고, "
                        "클릭하면 그 설정을 엽니다."},
    "ctl.map_rows": {"en": "Rows", "ko": "행"},
    "ctl.map_cols": {"en": "Columns", "ko": "열"},
    "ctl.map_seeds": {"en": "Seeds per cell", "ko": "칸마다 시드 수"},
    "map.same_axis": {"en": "Rows and columns must be two different settings: the columns show another one.",
                      "ko": "행과 열은 서로 다른 설정이어야 합니다. 열에는 다른 설정을 보여 줍니다."},
    "map.net": {"en": "**Net:** {label} and the seeds after it, {steps} steps; each cell changes its {rows} and {cols}.",
                "ko": "**신경망:** {label}부터 이어지는 시드들, {steps} 스텝. 칸마다 {rows}과/와 {cols}을/를 바꿉니다."},
    "map.caption": {"en": "{n} seeds a cell, {steps} steps each; the whole map trained in {seconds} s (cells that "
                          "differ only in their learning rate or initial weights train as one batched program).",
                    "ko": "칸마다 시드 {n}개, 각각 {steps} 스텝. 격자 전체를 학습하는 데 {seconds}초 걸렸습니다 "
                          "(학습률이나 초기 가중치만 다른 칸들은 하나의 묶음 프로그램으로 함께 학습합니다)."},
    "map.click": {"en": "Click a cell to open its setting on Robustness or Train.",
                  "ko": "칸을 클릭하면 그 설정을 시드별 안정성이나 학습 페이지에서 열 수 있습니다."},
    "map.open_robust": {"en": "{cell}: every seed on Robustness", "ko": "{cell}: 시드별 안정성에서 모든 시드 보기"},
    "map.open_train": {"en": "{cell}: its first seed on Train", "ko": "{cell}: 학습 페이지에서 첫 시드 보기"},
    "map.too_big": {"en": "This map would take about {minutes} minutes here; a map may take 2. Choose fewer seeds per "
                          "cell, fewer steps, or a smaller net (fewer hidden layers).",
                    "ko": "이 격자는 여기서 약 {minutes}분이 걸립니다. 격자는 2분까지만 그릴 수 있습니다. 칸마다 시드 수나 "
                          "스텝 수를 줄이거나, 더 작은 신경망(은닉층 수를 줄여서)을 고르세요."},
    "map.gpu_seeds": {"en": "{n} seeds a cell need a GPU (this machine trains on its cpu): showing {most}.",
                      "ko": "칸마다 시드 {n}개는 GPU가 있어야 합니다 (이 컴퓨터는 CPU로 학습합니다). {most}개로 보여 줍니다."},
    "map.csv": {"en": "Map (CSV)", "ko": "설정 격자 (CSV)"},
    "map.none_solved": {"en": "No cell solves the task: try more steps, or a larger learning rate or width.",
                        "ko": "과제를 푼 칸이 없습니다. 스텝 수를 늘리거나 학습률이나 너비를 키워 보세요."},
    "msg.mapping": {"en": "Mapping: {done} of {cells} cells, {n} seeds each", "ko": "격자 채우는 중: {cells}칸 중 {done}칸, 칸마다 시드 {n}개"},
    "chart.map_title": {"en": "Share of {n} seeds that solve it", "ko": "시드 {n}개 중 해결한 비율"},
    "chart.map_solved": {"en": "solved", "ko": "해결"},
    "chart.map_steps": {"en": "median steps to solve", "ko": "해결까지 스텝 (중앙값)"},
    "chart.map_diverged": {"en": "diverged", "ko": "발산"},
    "chart.map_cost": {"en": "median final cost", "ko": "최종 비용 (중앙값)"},
    "chart.map_axis_lr": {"en": "learning rate", "ko": "학습률"},
    "chart.map_axis_width": {"en": "width", "ko": "너비"},
    "chart.map_axis_hidden_layers": {"en": "hidden layers", "ko": "은닉층 수"},
    "chart.map_axis_activation": {"en": "activation", "ko": "활성화 함수"},
    "chart.map_axis_init": {"en": "init", "ko": "초기화"},
    "chart.map_axis_optimizer": {"en": "optimizer", "ko": "옵티마이저"},
    # --- messages about a run ---
    "allowed.features": {"en": "names from {options}, joined by -, e.g. x1-x2-x1x2",
                         "ko": "{options} 중의 이름을 -로 이은 것, 예: x1-x2-x1x2"},
    "allowed.points": {"en": "points written as a0_0b0_1 (a = class 0, b = class 1, then x1_x2; at most {n})",
                       "ko": "a0_0b0_1처럼 쓴 점 (a = 클래스 0, b = 클래스 1, 그다음 x1_x2; 최대 {n}개)"},
    "msg.diverged": {"en": "Training diverged at step {step}: the cost or the weights became inf/NaN at learning "
                           "rate {lr}. The curves stop there. Try a lower learning rate (e.g. {lower}).",
                     "ko": "{step} 스텝에서 학습이 발산했습니다: 학습률 {lr}에서 비용이나 가중치가 inf/NaN이 "
                           "되었습니다. 곡선은 거기서 멈춥니다. 더 낮은 학습률(예: {lower})을 써 보세요."},
    "msg.below": {"en": "⚠️ This run went wrong: the note under the pictures says why, and what to try.",
                  "ko": "⚠️ 이 실행은 잘못되었습니다. 그림 아래의 안내에 이유와 해 볼 일이 있습니다."},
    "msg.below.unlearned": {"en": "ℹ️ This run has not learned its task: the note under the pictures says more, and "
                                  "where to look.",
                            "ko": "ℹ️ 이 실행은 과제를 배우지 못했습니다. 그림 아래의 안내에 자세한 내용과 살펴볼 "
                                  "곳이 있습니다."},
    "msg.stride.adam": {"en": "Adam at learning rate {lr} ends at a cost of {cost}, with {right} of the training "
                              "points right, no lower than halfway through. Adam's first step moves every weight by "
                              "the learning rate itself, whatever the size of its gradient (m̂/√v̂ is ±1 then), and "
                              "its later steps by up to about as much.",
                        "ko": "학습률 {lr}의 Adam은 비용 {cost}에서 끝나고(실행의 중간 이후로 더 내려가지 "
                              "않았습니다), 학습 점의 {right}만 맞힙니다. Adam의 첫 스텝은 기울기의 크기와 상관없이 "
                              "모든 가중치를 학습률만큼 움직이고(그때 m̂/√v̂는 ±1입니다), 그다음 스텝들도 거의 "
                              "그만큼까지 움직입니다."},
    "msg.stride.weights": {"en": "At learning rate {lr} that first step is larger than any of this net's starting "
                                 "weights (the largest is {largest}).",
                           "ko": "학습률 {lr}에서는 그 첫 스텝이 이 신경망의 어떤 시작 가중치보다도 큽니다(가장 큰 "
                                 "시작 가중치: {largest})."},
    "msg.stride.adam.try": {"en": "Adam is usually run at 0.001–{usual}: try {usual}.",
                            "ko": "Adam은 보통 0.001–{usual}에서 씁니다. {usual}을 써 보세요."},
    "msg.unlearned": {"en": "This run has not learned its task: after {steps} steps its cost is {cost}, with {right} of "
                            "the {total} training points right.",
                      "ko": "이 실행은 과제를 배우지 못했습니다. {steps} 스텝을 학습한 뒤에도 비용이 {cost}에 머물고, "
                            "학습 점 {total}개 중 맞히는 점은 {right}개입니다."},
    "msg.unlearned.plateau": {"en": "Every point's ŷ is still near ½ (from {lo} to {hi}): the net is still on its "
                                    "starting plateau, where the points' pulls nearly cancel and the gradients are "
                                    "small. A larger learning rate leaves it sooner; more steps give it time.",
                              "ko": "모든 점의 ŷ가 아직 ½ 근처({lo}~{hi})에 있습니다. 신경망이 아직 처음의 정체 "
                                    "구간에 있고, 거기서는 점들이 당기는 힘이 거의 상쇄되어 기울기가 작습니다. "
                                    "학습률을 키우면 더 빨리 벗어나고, 스텝을 늘리면 벗어날 시간이 생깁니다."},
    "msg.unlearned.unsure": {"en": "After {steps} steps this run gets {right} of the {total} training points right, but "
                                   "its cost, {cost}, is still above {solved}, below which Robustness counts a run as "
                                   "solved: its answers are right, but it is not yet sure of them (ŷ not yet close to "
                                   "0 and 1). More steps make it surer.",
                             "ko": "이 실행은 {steps} 스텝 뒤 학습 점 {total}개 중 {right}개를 맞히지만, 비용은 시드별 "
                                   "안정성이 해결로 세는 기준({solved})보다 높은 {cost}입니다. 답은 맞지만 아직 확신하지 "
                                   "못하는 상태입니다(ŷ가 아직 0과 1에 가깝지 않습니다). 스텝을 늘리면 더 확신하게 "
                                   "됩니다."},
    "msg.unlearned.where": {"en": "Whether this net learns, over many runs:",
                            "ko": "이 신경망이 배우는지는 여러 실행으로 볼 수 있습니다:"},
    "msg.unlearned.map": {"en": "Map: this net at each learning rate and width, from many seeds",
                          "ko": "설정 격자: 학습률과 너비마다 이 신경망을 여러 시드로 학습한 결과"},
    "msg.unlearned.robust": {"en": "Robustness: this net from many starting weights, and how often it gets stuck",
                             "ko": "시드별 안정성: 이 신경망을 여러 시작 가중치에서 학습하고 얼마나 자주 멈추는지 보기"},
    "msg.wrong": {"en": "The cost ends at {cost}: {n} of the {total} training points are confidently wrong (ŷ within "
                        "0.01 of the other class), and each of them costs a lot. Try a lower learning rate.",
                  "ko": "비용이 {cost}에서 끝납니다: 학습 점 {total}개 중 {n}개를 확신을 갖고 틀립니다 (ŷ가 반대 "
                        "클래스와 0.01 안쪽). 그런 점 하나하나가 비용을 크게 올립니다. 더 낮은 학습률을 써 보세요."},
    "msg.zero.all": {"en": "Every gradient is exactly 0 from the first step on (a log axis cannot show 0, so the "
                           "gradient chart says so in words).",
                     "ko": "첫 스텝부터 모든 기울기가 정확히 0입니다 (로그 축에는 0을 그릴 수 없어서 기울기 차트에 "
                           "글로 적었습니다)."},
    "msg.zero.from": {"en": "The gradient of layer {layers} is exactly 0 from step {step} on.",
                      "ko": "{layers}층의 기울기가 {step} 스텝부터 정확히 0입니다."},
    "msg.zero.saddle": {"en": "The net sits on a saddle point: every hidden unit of a layer computes the same thing "
                              "(this initialisation made them identical, and identical units get identical updates), "
                              "and ŷ = ½ at every point, where the points' pulls cancel. It never leaves. Try another "
                              "initialisation.",
                        "ko": "신경망이 안장점에 머뭅니다: 이 초기화로 한 층의 은닉 유닛이 모두 똑같아졌고, 똑같은 "
                              "유닛은 똑같이 갱신되므로 계속 같은 것을 계산합니다. 모든 점에서 ŷ = ½이라 점들이 "
                              "당기는 힘이 서로 상쇄되어 여기서 벗어나지 못합니다. 다른 초기화를 써 보세요."},
    "msg.zero.optimum": {"en": "The net predicts ŷ = ½ at every point, where the points' pulls cancel exactly. With "
                               "no hidden layer the cross-entropy cost is convex, so this is the best a single layer "
                               "can do on these points: more steps or another learning rate cannot change it. A "
                               "hidden layer can draw more than one line.",
                         "ko": "신경망이 모든 점에서 ŷ = ½을 내놓고, 여기서 점들이 당기는 힘이 정확히 상쇄됩니다. "
                               "은닉층이 없으면 교차 엔트로피 비용이 볼록 함수라서, 이것이 층 하나로 이 점들에서 낼 수 "
                               "있는 최선입니다. 스텝을 늘리거나 학습률을 바꿔도 달라지지 않습니다. 은닉층이 있으면 "
                               "직선을 여러 개 그을 수 있습니다."},
    "msg.zero.middle": {"en": "The net predicts ŷ ≈ ½ at every point, where the points' pulls cancel: a stationary "
                              "point in the middle of the sigmoid, not at a flat end. Try another seed or "
                              "initialisation.",
                        "ko": "신경망이 모든 점에서 ŷ ≈ ½을 내놓고, 여기서 점들이 당기는 힘이 상쇄됩니다. 시그모이드의 "
                              "평평한 끝이 아니라 한가운데에 있는 정류점입니다. 다른 시드나 초기화를 써 보세요."},
    "msg.zero.dead": {"en": "Dead relus: every unit of layer {layer} has z ≤ 0 at every point, so it outputs 0 and "
                            "passes no gradient back, and the layers before it stop learning. Try a lower learning "
                            "rate or another initialisation.",
                      "ko": "죽은 relu입니다: {layer}층의 모든 유닛이 모든 점에서 z ≤ 0이라 0을 내보내고 기울기를 "
                            "거꾸로 전하지 못해서, 그 앞의 층들도 더 배우지 못합니다. 더 낮은 학습률이나 다른 "
                            "초기화를 써 보세요."},
    "msg.zero.flat": {"en": "Saturated units: every unit of layer {layer} sits at a flat end of its {act} at every "
                            "point, where the slope rounds to 0 in float32, so no gradient passes back through it.",
                      "ko": "포화된 유닛입니다: {layer}층의 모든 유닛이 모든 점에서 {act}의 평평한 끝에 있어 "
                            "기울기가 float32에서 0으로 반올림되므로, 그 층을 거꾸로 지나는 기울기가 없습니다."},
    "msg.zero.flat_output": {"en": "A saturated output: ŷ sits at 0 or 1 at every point, where σ′ rounds to 0 in "
                                   "float32, and squared error's δ_L = (ŷ − y)·σ′ vanishes with it.",
                             "ko": "출력이 포화되었습니다: 모든 점에서 ŷ가 0이나 1에 붙어 σ′가 float32에서 0으로 "
                                   "반올림되고, 제곱 오차의 δ_L = (ŷ − y)·σ′도 함께 0이 됩니다."},
    # What to try for a flat end: a step too large put it there (from step 1 on), or the starting weights (step 0)
    "msg.zero.flat.lr": {"en": "Try a lower learning rate.", "ko": "더 낮은 학습률을 써 보세요."},
    "msg.zero.flat.lr_or_ce": {"en": "Try a lower learning rate, or cross-entropy, whose δ_L = ŷ − y does not vanish.",
                               "ko": "더 낮은 학습률이나, δ_L = ŷ − y라서 사라지지 않는 교차 엔트로피를 써 보세요."},
    "msg.zero.flat.init": {"en": "The weights it started from put it there before the first step, so a lower learning "
                                 "rate cannot help: try another initialisation.",
                           "ko": "첫 스텝 전부터 시작 가중치 때문에 이미 이 상태였으므로 학습률을 낮춰도 "
                                 "소용없습니다. 다른 초기화를 써 보세요."},
    "msg.zero.flat.init_or_ce": {"en": "The weights it started from put it there before the first step, so a lower "
                                       "learning rate cannot help: try another initialisation, or cross-entropy, "
                                       "whose δ_L = ŷ − y does not vanish.",
                                 "ko": "첫 스텝 전부터 시작 가중치 때문에 이미 이 상태였으므로 학습률을 낮춰도 "
                                       "소용없습니다. 다른 초기화나, δ_L = ŷ − y라서 사라지지 않는 교차 엔트로피를 "
                                       "써 보세요."},
    "act.sigmoid": {"en": "sigmoid", "ko": "시그모이드"},
    "act.tanh": {"en": "tanh", "ko": "tanh"},
    "act.relu": {"en": "relu", "ko": "relu"},
    "msg.zero.unknown": {"en": "Nothing flows back through it any more.",
                         "ko": "그 층을 거꾸로 지나는 기울기가 더 이상 없습니다."},
    "msg.error": {"en": "Something went wrong: {error}. Try the '{preset}' preset, or reload the page.",
                  "ko": "문제가 생겼습니다: {error}. '{preset}' 설정을 누르거나 페이지를 새로 고치세요."},
    "msg.training": {"en": "Training… step {step} of {steps}", "ko": "학습 중… {steps} 스텝 중 {step}"},
    "msg.training_start": {"en": "Training…", "ko": "학습 중…"},
    "msg.busy": {"en": "The server is busy. Runs ahead of yours: {ahead}. Yours starts as soon as a turn is free; "
                       "this page updates by itself.",
                 "ko": "지금 서버가 바쁩니다. 앞에서 기다리는 실행: {ahead}개. 차례가 오면 바로 시작하고, "
                       "이 페이지는 저절로 바뀝니다."},
    "msg.sweeping": {"en": "Training {n} nets at once… step {step} of {steps}",
                     "ko": "신경망 {n}개를 동시에 학습 중… {steps} 스텝 중 {step}"},
    "metric.cost": {"en": "Final cost", "ko": "최종 비용"},
    "metric.cost_help.bce": {"en": "binary cross-entropy at the last step (ln 2 ≈ 0.693 is a coin toss: ŷ = ½ at every "
                               "point)",
                         "ko": "마지막 스텝의 이진 교차 엔트로피 (ln 2 ≈ 0.693은 모든 점에서 ŷ = ½인 동전 던지기 "
                               "수준)"},
    "metric.cost_help.mse": {"en": "mean squared error at the last step (0.25 is a coin toss: ŷ = ½ at every point)",
                             "ko": "마지막 스텝의 평균 제곱 오차 (0.25는 모든 점에서 ŷ = ½인 동전 던지기 수준)"},
    "metric.cost_help_l2": {"en": ", plus the L2 term l2/2 · Σ‖W‖²", "ko": "에 L2 항 l2/2 · Σ‖W‖²를 더한 값"},
    "metric.accuracy": {"en": "Accuracy", "ko": "정확도"},
    "metric.time": {"en": "Time per step", "ko": "스텝당 시간"},
    "metric.device": {"en": "Device used", "ko": "사용한 장치"},
    "dl.more": {"en": "Other formats (CSV, JSON, PNG, SVG)", "ko": "다른 형식 (CSV, JSON, PNG, SVG)"},
    "dl.csv": {"en": "Download history (CSV)", "ko": "학습 기록 내려받기 (CSV)"},
    "dl.json": {"en": "Download config (JSON)", "ko": "설정 내려받기 (JSON)"},
    "dl.png": {"en": "Charts as PNG", "ko": "차트를 PNG로 내려받기"},
    "dl.svg": {"en": "Charts as SVG", "ko": "차트를 SVG로 내려받기"},
    "dl.notebook": {"en": "Download as notebook (.ipynb)", "ko": "노트북으로 내려받기 (.ipynb)"},
    "dl.notebook_help": {
        "en": "This run as a Jupyter notebook in the lab's style: the data, the initial weights and the training "
              "loop written out, needing only torch and numpy. Run it at home or in Colab: it prints the costs the app "
              "shows (in float32 to rounding, within 1 %).",
        "ko": "이 학습을 실습과 같은 모양의 Jupyter 노트북으로 내려받습니다. 데이터, 초기 가중치, 학습 루프가 모두 "
              "적혀 있고 torch와 numpy만 있으면 됩니다. 집에서나 Colab에서 실행하면 앱이 보여 주는 비용이 "
              "출력됩니다 (float32에서는 반올림 차이로 1 % 이내)."},
    "alt.training": {"en": "Cost per step beside the gradient norm of each layer per step", "ko": "스텝별 비용과 그 옆의 층별 기울기 노름"},
    "alt.cost": {"en": "Cost per step", "ko": "스텝별 비용"},
    "alt.gradients": {"en": "Gradient norm of each layer per step", "ko": "스텝별 층별 기울기 노름"},
    "alt.boundary": {"en": "Probability of class 1 over the input plane, with the data points", "ko": "입력 평면 위의 클래스 1 확률과 데이터 점"},
    "alt.network": {"en": "The network's units and weights; line width is the weight's size", "ko": "신경망의 유닛과 가중치; 선 굵기가 가중치의 크기"},
    "alt.lab": {"en": "Cost and gradient curves with the correct and the course lab's convention", "ko": "올바른 규칙과 실습 규칙의 비용·기울기 곡선"},
    "alt.compare_cost": {"en": "Cost per step of each run", "ko": "실행별 스텝당 비용"},
    "alt.compare_grad": {"en": "Gradient size of the first and the last layer of each run",
                         "ko": "실행별 첫 층과 마지막 층의 기울기 크기"},
    "alt.compare": {"en": "Cost and gradient curves of the pinned runs", "ko": "고정한 실행들의 비용·기울기 곡선"},
    "alt.sweep": {"en": "Cost curves of many seeds with their median", "ko": "여러 시드의 비용 곡선과 중앙값"},
    "alt.hist_solved": {"en": "Histogram of the steps each seed took to solve the task",
                        "ko": "시드마다 문제를 푸는 데 걸린 스텝의 히스토그램"},
    "alt.hist_cost": {"en": "Histogram of each seed's final cost, solved and stuck", "ko": "시드별 최종 비용의 히스토그램 (해결과 갇힘)"},
    "robust.stuck_at": {"en": "The stuck seeds here end at a median cost of {cost}.",
                        "ko": "여기서 갇힌 시드는 비용 중앙값 {cost}에서 끝납니다."},
    "robust.coin.bce": {"en": "ln 2 ≈ 0.693 is a coin toss at every point.",
                        "ko": "ln 2 ≈ 0.693은 모든 점에서 동전 던지기 수준입니다."},
    "robust.coin.mse": {"en": "With squared error, 0.25 is a coin toss at every point.",
                        "ko": "제곱 오차에서는 0.25가 모든 점에서 동전 던지기 수준입니다."},
    "robust.local_min": {"en": "0.347 ≈ ln 2 / 2 is where the 2-2-1 net gets stuck on XOR: it gets two of the four "
                               "points right and sits at ŷ = ½ on the other two. The cost still creeps down toward "
                               "ln 2 / 2 while its weights grow without bound (a local minimum only "
                               "at infinitely large weights), so more steps do not get it out.",
                         "ko": "0.347 ≈ ln 2 / 2는 XOR에서 2-2-1 신경망이 갇히는 곳입니다. 네 점 중 두 점은 맞히고 "
                               "나머지 두 점에서는 ŷ = ½에 머뭅니다. 비용은 ln 2 / 2 쪽으로 아주 조금씩 줄고 가중치는 "
                               "끝없이 커지므로 (가중치가 무한히 클 때에만 닿는 국소 최솟값), 스텝을 늘려도 빠져나오지 "
                               "못합니다."},
    "robust.with_l2": {"en": "These costs include the L2 term.", "ko": "이 비용에는 L2 항이 들어 있습니다."},
    "robust.seeds_help": {"en": "seeds {first}, {second}, …", "ko": "시드 {first}, {second}, …"},
    "copy.student_link": {"en": "The students' link (the same view, without presenter mode):",
                          "ko": "학생용 링크 (발표 모드 없이 같은 화면):"},
    "qr.caption": {"en": "Scan to open this view", "ko": "스캔하면 이 화면이 열립니다"},
    "presenter.about": {"en": "About this page", "ko": "이 페이지 설명"},
    "presenter.qr": {"en": "QR code of the students' link:", "ko": "학생용 링크의 QR 코드:"},
    "copy.link": {"en": "Link to this view (copy it for students):", "ko": "이 화면의 링크 (학생에게 복사해 주세요):"},
    # --- Home ---
    "home.title": {"en": "Watch a neural network learn XOR", "ko": "신경망이 XOR을 배우는 과정을 지켜보세요"},
    "home.intro": {
        "en": "**XOR** is 1 when exactly one of its two inputs is 1. Its four points sit on the corners of a square, "
              "with the two 1s on one diagonal and the two 0s on the other, so **no single straight line separates "
              "them**. A net with no hidden layer (a perceptron) draws exactly one line: it is stuck at a coin "
              "toss's cost (ln 2 ≈ 0.693 with the lab's cross-entropy). One hidden layer of two units can bend the boundary and solve it.\n\n"
              "This is the course lab *lab08-1 Multi Layer Perceptron*: the same 2-2-1 sigmoid net, trained by the "
              "**chain rule written out by hand** and by **autograd**, on the cpu or a GPU.",
        "ko": "**XOR**은 두 입력 중 정확히 하나만 1일 때 1입니다. 네 점은 정사각형의 꼭짓점에 있고, 1인 두 점은 한 "
              "대각선에, 0인 두 점은 다른 대각선에 있어서 **직선 하나로는 나눌 수 없습니다**. 은닉층이 없는 신경망"
              "(퍼셉트론)은 직선 하나만 그을 수 있으므로 비용이 동전 던지기 수준(실습의 교차 엔트로피로 ln 2 ≈ "
              "0.693)에 머뭅니다. 유닛 두 개짜리 "
              "은닉층 하나가 경계를 구부려 문제를 풀 수 있습니다.\n\n"
              "이것은 *lab08-1 Multi Layer Perceptron* 실습입니다: 같은 2-2-1 시그모이드 신경망을 **직접 구현한 "
              "연쇄 법칙**과 **autograd**로, cpu나 GPU에서 학습합니다."},
    "home.change": {"en": "Change the net in the sidebar; every page but the Lesson follows, and the link in your "
                          "address bar reproduces this view.",
                    "ko": "사이드바에서 신경망을 바꾸면 수업 페이지를 뺀 모든 페이지가 따라오고, 주소창의 링크가 이 화면을 "
                          "그대로 재현합니다."},
    "home.change_following": {"en": "While you follow the lecturer's screen, they choose the net, and every page "
                                    "shows the one they chose.",
                              "ko": "강의자 화면을 따라가는 동안에는 강의자가 신경망을 고르고, 모든 페이지가 그 신경망을 "
                                    "보여 줍니다."},
    "home.truth": {"en": "| x₁ | x₂ | XOR |\n|:-:|:-:|:-:|\n| 0 | 0 | **0** |\n| 0 | 1 | **1** |\n| 1 | 0 | **1** |\n"
                         "| 1 | 1 | **0** |",
                   "ko": "| x₁ | x₂ | XOR |\n|:-:|:-:|:-:|\n| 0 | 0 | **0** |\n| 0 | 1 | **1** |\n| 1 | 0 | **1** |\n"
                         "| 1 | 1 | **0** |"},
    "home.run": {"en": "The run at the current settings: {label}", "ko": "현재 설정의 실행: {label}"},
    "label.lr": {"en": "lr", "ko": "학습률"},
    "label.seed": {"en": "seed", "ko": "시드"},
    "label.manual": {"en": "manual", "ko": "직접 구현"},
    "label.autograd": {"en": "autograd", "ko": "autograd"},
    "label.own": {"en": "own ({n} points)", "ko": "직접 찍은 점 {n}개"},
    "label.held_out": {"en": "{share} held out", "ko": "{share} 테스트용"},
    "label.batches": {"en": "batches of {n}", "ko": "배치 {n}개씩"},
    "label.inputs": {"en": "inputs {names}", "ko": "입력 {names}"},
    "home.predictions": {"en": "Predictions for the XOR truth table", "ko": "XOR 진리표에 대한 예측"},
    "home.col_pred": {"en": "predicted", "ko": "예측"},
    "home.col_right": {"en": "right?", "ko": "정답?"},
    "home.right": {"en": "{right} of 4 right ({pct})", "ko": "4개 중 {right}개 정답 ({pct})"},
    "home.other_data": {"en": " — the net was trained on '{data}', not XOR",
                        "ko": " — 이 신경망은 XOR이 아니라 '{data}'로 학습했습니다"},
    "home.to_train": {"en": "See the decision boundary and the net itself on the Train page",
                      "ko": "학습 페이지에서 결정 경계와 신경망 그림을 보세요"},
    "home.to_lesson": {"en": "New here? Follow the guided lesson through the lab, one click per step",
                       "ko": "처음이신가요? 실습을 한 단계씩 따라가는 수업을 시작하세요"},
    # --- Train ---
    "train.intro": {"en": "Press Play and watch the net learn: the decision boundary over the input plane, the "
                          "weights, the cost and each layer's gradient size ∂C/∂W, step by step.",
                    "ko": "재생을 누르고 신경망이 배우는 모습을 보세요: 입력 평면 위의 결정 경계, 가중치, 비용, 각 층의 "
                          "기울기 ∂C/∂W의 크기가 스텝마다 바뀝니다."},
    "train.intro_following": {"en": "Watch the net learn as the lecturer plays it: the decision boundary over the "
                                    "input plane, the weights, the cost and each layer's gradient size ∂C/∂W, step by "
                                    "step.",
                              "ko": "강의자가 재생하는 대로 신경망이 배우는 모습을 보세요: 입력 평면 위의 결정 경계, "
                                    "가중치, 비용, 각 층의 기울기 ∂C/∂W의 크기가 스텝마다 바뀝니다."},
    "robust.net": {"en": "**Net:** {label} and the seeds after it, {steps} steps, init {init}",
                   "ko": "**신경망:** {label}부터 이어지는 시드들, {steps} 스텝, 초기화 {init}"},
    "train.run": {"en": "**Run:** {label}, {steps} steps, init {init}", "ko": "**실행:** {label}, {steps} 스텝, 초기화 {init}"},
    "train.at_step": {"en": "The net at a step", "ko": "특정 스텝의 신경망"},
    "train.units": {"en": "What each unit computes", "ko": "유닛마다 계산하는 것"},
    "train.units_intro": {"en": "Each small picture is one unit of the chosen layer over the input plane at this step "
                                "(orange high, blue low): in the lab's 2-2-1 net the two hidden units become two "
                                "half-planes, and the output combines them. Hover a picture for the unit's incoming "
                                "weights, its bias and its values at the points.",
                          "ko": "작은 그림 하나가 이 스텝에서 고른 층의 유닛 하나를 입력 평면 위에 그린 것입니다 (주황은 높고 "
                                "파랑은 낮음): 실습의 2-2-1 신경망에서는 두 은닉 유닛이 두 개의 반평면이 되고 출력이 "
                                "그 둘을 합칩니다. 그림에 마우스를 올리면 유닛으로 들어오는 가중치, 편향, 각 점에서의 "
                                "값이 보입니다."},
    "train.unit_grad_caption": {"en": "Each row is one unit of the chosen layer; its colour is the size of the gradient of "
                                      "the weights coming into it, over the whole run (log scale). Dark: that unit "
                                      "learns then. A dead relu or a plateau shows as a pale stripe.",
                                "ko": "한 줄이 고른 층의 유닛 하나입니다. 색은 그 유닛으로 들어오는 가중치의 기울기 크기를 "
                                      "학습 전체에 걸쳐 보여 줍니다 (로그 눈금). 진할수록 그때 그 유닛이 배우고 있다는 "
                                      "뜻입니다. 죽은 relu나 정체 구간은 옅은 띠로 보입니다."},
    "ctl.unit_layer": {"en": "Layer", "ko": "층"},
    "alt.units": {"en": "What each unit of the chosen layer computes over the input plane",
                  "ko": "고른 층의 유닛마다 입력 평면 위에서 계산하는 값"},
    "train.at_caption": {"en": "The pictures show the weights before that step's update; Play walks the run at the "
                               "chosen speed. Scroll over a curve to zoom into its steps, drag to pan, double-click to "
                               "reset.",
                         "ko": "그림은 그 스텝에서 갱신하기 전의 가중치를 보여 줍니다. 재생을 누르면 고른 속도로 실행을 "
                               "따라갑니다. 곡선 위에서 스크롤하면 스텝 축이 확대되고, 드래그하면 옮겨지며, 더블클릭하면 "
                               "원래대로 돌아갑니다."},
    # --- Chain rule ---
    "chain.intro": {"en": "The lab's back-propagation cell, made general: the forward pass keeps $z$ and $a$ of every "
                          "layer, then the backward pass runs from the output to the input, one equation a line. "
                          "Every number below is computed at the weights the run had at the chosen step, in float64.",
                    "ko": "실습의 역전파 셀을 일반화했습니다: 순전파는 모든 층의 $z$와 $a$를 저장하고, 역전파는 출력에서 "
                          "입력으로 한 줄에 식 하나씩 진행합니다. 아래의 모든 숫자는 선택한 스텝의 가중치에서 float64로 "
                          "계산한 값입니다."},
    "chain.step_buttons": {"en": "Walk through training one update at a time:",
                           "ko": "한 번에 한 갱신씩 학습을 따라가 보세요:"},
    "chain.step1": {"en": "Step", "ko": "한 스텝"},
    "chain.step10": {"en": "Step ×10", "ko": "10 스텝"},
    "chain.play": {"en": "Play", "ko": "재생"},
    "chain.replay": {"en": "Replay the training", "ko": "학습 다시 보기"},
    "chain.pause": {"en": "Pause", "ko": "일시 정지"},
    "chain.reset": {"en": "Reset", "ko": "처음으로"},
    "chain.playing": {"en": "Playing: {speed} steps a frame, at most {fps} frames a second. The numbers below "
                            "follow when you press Pause.",
                      "ko": "재생 중: 한 번 그릴 때마다 {speed} 스텝씩, 초당 최대 {fps}번 그립니다. 일시 정지를 누르면 "
                            "아래 숫자가 그 스텝으로 바뀝니다."},
    "ctl.speed": {"en": "Steps per frame while playing", "ko": "재생 속도 (한 번에 넘기는 스텝)"},
    "chain.speed_option": {"en": "×{n}", "ko": "×{n}"},
    "help.speed": {"en": "Play draws at most {fps} frames a second. The default 2-2-1 net's plateau lasts about "
                         "2,000 steps (the lab's about 2,500; from other seeds often fewer), so ×100 crosses it in a "
                         "few seconds",
                   "ko": "재생은 초당 최대 {fps}번 그립니다. 기본 2-2-1 신경망의 정체 구간은 약 2,000스텝(실습 "
                         "신경망은 약 2,500스텝, 다른 시드에서는 더 짧은 경우가 많습니다)이므로 ×100이면 몇 초 만에 "
                         "지나갑니다"},
    "chain.snapshot_note": {"en": "This backend or device cannot go on from the last step reached: the pictures "
                                  "show the nearest of the run's kept weights.",
                            "ko": "이 기울기 계산 방식이나 장치에서는 마지막 스텝에서 이어 갈 수 없어, 그림은 실행이 "
                                  "저장한 가장 가까운 가중치를 보여 줍니다."},
    "chain.forward": {"en": "Forward pass", "ko": "순전파"},
    "chain.samples": {"en": "{n} samples", "ko": "샘플 {n}개"},
    "chain.first_shown": {"en": "; the first {shown} are shown", "ko": "; 처음 {shown}개를 보입니다"},
    "chain.acts": {"en": ". Hidden layers use {f}; the output uses σ.", "ko": ". 은닉층은 {f}, 출력층은 σ를 씁니다."},
    "chain.inputs": {"en": "the inputs", "ko": "입력"},
    "chain.layer": {"en": "Layer {l}", "ko": "{l}층"},
    "chain.output": {"en": " (output)", "ko": " (출력)"},
    "chain.pre": {"en": "pre-activation", "ko": "활성화 전 값"},
    "chain.activation": {"en": "activation", "ko": "활성화 값"},
    "chain.yhat": {"en": "ŷ, the probability of class 1", "ko": "ŷ, 클래스 1일 확률"},
    "chain.update_source": {"en": "**The update:** what the loop does with the gradient (`rule.step(P, g)`):",
                            "ko": "**업데이트:** 루프가 기울기로 하는 일 (`rule.step(P, g)`):"},
    "chain.update_check": {"en": "The update itself: this step by `optim.py`'s {rule} and by `torch.optim`'s, from the "
                                 "same weights and optimizer state in float64: max |difference| {diff} {agree}",
                           "ko": "업데이트 자체: 같은 가중치와 옵티마이저 상태에서 float64로 이 스텝을 `optim.py`의 {rule}와 "
                                 "`torch.optim`의 것으로 각각 계산한 최대 |차이| {diff} {agree}"},
    "chain.update_l2": {"en": "With L2 = {l2}, the loop first adds l2 · W to each weight gradient (biases are free).",
                        "ko": "L2 = {l2}일 때 루프는 먼저 각 가중치 기울기에 l2 · W를 더합니다 (편향은 그대로)."},
    "chain.backward": {"en": "Backward pass", "ko": "역전파"},
    "chain.source": {"en": "The engine's own `backward` (read from `mlp/backprop.py` as it runs, not a copy):",
                     "ko": "엔진의 실제 `backward` 함수 (복사본이 아니라 실행 중인 `mlp/backprop.py`에서 읽음):"},
    "chain.step_source": {"en": "Where a training step happens: `mlp/step.py`, the one function every run of the "
                                "hand-written backend calls, each step",
                          "ko": "학습 스텝이 일어나는 곳: 손으로 쓴 백엔드의 모든 실행이 스텝마다 부르는 단 하나의 함수, "
                                "`mlp/step.py`"},
    "chain.lab_warning": {"en": "Course-lab convention: every ∂C/∂W is multiplied by N = {n} (summed over the batch, "
                                "not averaged) while ∂C/∂b stays averaged. The true gradient is the one autograd gives.",
                          "ko": "실습 코드의 규칙: 모든 ∂C/∂W가 N = {n}배가 됩니다 (배치에 대해 평균이 아니라 합) 반면 "
                                "∂C/∂b는 평균 그대로입니다. 진짜 기울기는 autograd가 주는 값입니다."},
    "chain.delta": {"en": "δ per sample", "ko": "샘플별 δ"},
    "chain.dW": {"en": "rows: inputs of the layer, columns: its units", "ko": "행: 층의 입력, 열: 층의 유닛"},
    "chain.db": {"en": "one number per unit", "ko": "유닛마다 하나"},
    "chain.vs": {"en": "Hand-written vs autograd", "ko": "직접 구현한 기울기 vs autograd"},
    "chain.oracle": {"en": "`loss.backward()` on the same weights in float64 is the oracle (makemore's `cmp`):",
                     "ko": "같은 가중치에서 float64로 계산한 `loss.backward()`가 기준입니다 (makemore의 `cmp`):"},
    "chain.col_param": {"en": "parameter", "ko": "매개변수"},
    "chain.col_shape": {"en": "shape", "ko": "모양"},
    "chain.col_diff": {"en": "max |hand − autograd|", "ko": "최대 |직접 − autograd|"},
    "chain.col_hand": {"en": "‖hand-written‖", "ko": "‖직접 구현한 기울기‖"},
    "chain.col_auto": {"en": "‖autograd‖", "ko": "‖autograd‖"},
    "chain.col_agree": {"en": "agree", "ko": "일치"},
    "chain.col_target": {"en": "target y", "ko": "정답 y"},
    "chain.lab_curve": {"en": "What the lab's convention does to the curve", "ko": "실습 규칙이 곡선에 미치는 영향"},
    "chain.mean_run": {"en": "mean over samples (correct)", "ko": "샘플 평균 (올바름)"},
    "chain.lab_run": {"en": "course lab: W summed, b averaged", "ko": "실습: W는 합, b는 평균"},
    "chain.lab_caption": {"en": "Summing makes every weight step {n}× larger than the learning rate says, so the lab's "
                                "curve is really that of a larger learning rate for the weights only.",
                          "ko": "합을 쓰면 가중치의 보폭이 학습률보다 {n}배 커지므로, 실습의 곡선은 사실상 가중치에만 더 큰 "
                                "학습률을 쓴 곡선입니다."},
    "table.sample": {"en": "sample", "ko": "샘플"},
    "table.unit": {"en": "unit", "ko": "유닛"},
    "table.in": {"en": "in", "ko": "입력"},
    # --- Compare ---
    "compare.intro": {"en": "Pin the current settings, or the lab's two nets, and overlay their curves (up to {n}). "
                            "The pins are in the link, so a copied URL shows the same comparison.",
                      "ko": "현재 설정이나 실습의 두 신경망을 고정하고 곡선을 겹쳐 보세요 (최대 {n}개). 고정한 실행은 "
                            "링크에 들어 있어, 복사한 URL이 같은 비교를 보여 줍니다."},
    "compare.pin": {"en": "📌 Pin the current run", "ko": "📌 현재 실행 고정"},
    "compare.current": {"en": "**Current run:** {label}, {steps} steps, init {init}",
                        "ko": "**현재 실행:** {label}, {steps} 스텝, 초기화 {init}"},
    "compare.pin221": {"en": "Pin the lab's 2-2-1", "ko": "실습의 2-2-1 고정"},
    "compare.pin_deep": {"en": "Pin the lab's 2-10-10-10-1", "ko": "실습의 2-10-10-10-1 고정"},
    "compare.pin_optimizers": {"en": "Pin its 2-2-1 by SGD, momentum and Adam", "ko": "실습의 2-2-1을 SGD, 모멘텀, Adam으로 고정"},
    "compare.clear": {"en": "Clear all", "ko": "모두 지우기"},
    "compare.remove": {"en": "Remove", "ko": "제거"},
    "compare.empty": {"en": "Nothing pinned yet. Pin the lab's 2-2-1 and 2-10-10-10-1 nets to see that the deeper "
                            "net ends at a much lower cost in the same 10,001 steps.",
                      "ko": "아직 고정한 실행이 없습니다. 실습의 2-2-1과 2-10-10-10-1 신경망을 고정하면 같은 10,001 "
                            "스텝에서 더 깊은 신경망의 비용이 훨씬 낮아지는 것을 볼 수 있습니다."},
    "compare.diverged": {"en": "{label}: diverged at step {step}; its curve stops there.",
                         "ko": "{label}: {step} 스텝에서 발산했습니다; 곡선은 거기서 멈춥니다."},
    "compare.parted_spike": {
        "en": "Runs {a} and {b} differ only in how the gradients are computed. The cost spiked at step {spike}, and "
              "from step {step} their costs part: a spike amplifies the rounding by which two programs of the same "
              "maths differ (about 1e-7 in float32, 1e-16 in float64), so after it they may end far apart with "
              "neither wrong. The Chain-rule page checks the gradients of any step against autograd.",
        "ko": "{a}번과 {b}번 실행은 기울기를 구하는 방법만 다릅니다. {spike}스텝에서 비용이 튀어 오른 뒤 {step}스텝부터 두 "
              "비용이 갈라집니다. 같은 수식을 계산하는 두 프로그램은 반올림만큼 다른데(float32에서 약 1e-7, "
              "float64에서 1e-16), 비용이 튀면 그 차이가 커져서 둘 다 틀리지 않았는데도 결과가 크게 달라질 수 있습니다. "
              "연쇄 법칙 페이지에서 어느 스텝이든 기울기를 autograd와 비교해 볼 수 있습니다."},
    "compare.parted": {
        "en": "Runs {a} and {b} differ only in how the gradients are computed, and their costs part at step {step}: "
              "two programs of the same maths differ by rounding (about 1e-7 in float32, 1e-16 in float64), which a "
              "long or steep run can amplify. The Chain-rule page checks the gradients of any step against autograd.",
        "ko": "{a}번과 {b}번 실행은 기울기를 구하는 방법만 다른데, 두 비용이 {step}스텝에서 갈라집니다. 같은 수식을 계산하는 "
              "두 프로그램은 반올림만큼 다르고(float32에서 약 1e-7, float64에서 1e-16), 길거나 가파른 학습에서는 그 "
              "차이가 커질 수 있습니다. 연쇄 법칙 페이지에서 어느 스텝이든 기울기를 autograd와 비교해 볼 수 있습니다."},
    "compare.pin_line": {"en": "**{i}.** {label}, {steps} steps, init {init}",
                         "ko": "**{i}.** {label}, {steps} 스텝, 초기화 {init}"},
    # --- Robustness ---
    "robust.intro": {"en": "A 2-2-1 net at learning rate 1 solves XOR from most starting weights, but not all: some "
                           "seeds get stuck (for that net at a cost of 0.347) or stay on a plateau. Here the current net is trained from many "
                           "seeds at once, as one batched program through the same hand-written chain rule. Wider "
                           "nets almost always solve it. *Solved* means a cost below {cost} with every truth-table "
                           "point right (95 % of the points for the noisy datasets).",
                     "ko": "학습률 1의 2-2-1 신경망은 대부분의 초기 가중치에서 XOR을 풀지만 전부는 아닙니다: 어떤 시드는 "
                           "갇히거나(그 신경망에서는 비용 0.347) 정체 구간에 머뭅니다. 여기서는 현재 신경망을 여러 시드로 한꺼번에, 같은 직접 "
                           "쓴 연쇄 법칙을 통한 하나의 배치 프로그램으로 학습합니다. 더 넓은 신경망은 거의 항상 풉니다. "
                           "'풀었다'는 것은 비용이 {cost} 미만이고 진리표의 모든 점을 맞혔다는 뜻입니다 (잡음 있는 "
                           "데이터셋은 점의 95 %)."},
    "robust.autograd": {"en": "Many seeds run through the hand-written chain rule (autograd trains one net at a time); "
                              "its gradients are the same, as the Chain-rule page shows.",
                        "ko": "여러 시드는 직접 구현한 연쇄 법칙으로 학습합니다 (autograd는 한 번에 신경망 하나만 학습합니다); "
                              "연쇄 법칙 페이지에서 보듯 기울기는 같습니다."},
    "robust.device_limit": {"en": "{n} seeds is more than one sweep trains at once on {device} ({limit}; up to "
                                  "65,536 on a GPU as its memory allows): using {limit}.",
                            "ko": "시드 {n}개는 {device}에서 한 번에 학습할 수 있는 수({limit}개, GPU에서는 메모리가 "
                                  "허락하는 한 최대 65,536개)보다 많습니다: {limit}개를 씁니다."},
    "robust.seed_limit": {"en": "Only {n} seeds fit above seed {seed}; lower the seed for more.",
                          "ko": "시드 {seed} 위로는 {n}개만 가능합니다; 더 많이 쓰려면 시드를 낮추세요."},
    "robust.solved": {"en": "Solved", "ko": "해결"},
    "robust.solved_help": {"en": "{k} of {n} seeds", "ko": "시드 {n}개 중 {k}개"},
    "robust.median": {"en": "Median steps to solve", "ko": "해결까지 걸린 스텝 (중앙값)"},
    "robust.stuck": {"en": "Stuck", "ko": "갇힘"},
    "robust.stuck_help": {"en": "never solved within the steps (diverged included)",
                          "ko": "주어진 스텝 안에 풀지 못함 (발산 포함)"},
    "robust.speed": {"en": "Net-steps per second", "ko": "초당 신경망·스텝"},
    "robust.speed_help": {"en": "{n} nets × {steps} steps in {seconds} s on {device}",
                          "ko": "{device}에서 {seconds}초 동안 신경망 {n}개 × {steps} 스텝"},
    "robust.diverged": {"en": "{k} of {n} nets diverged (their curves stop there). Try a lower learning rate.",
                        "ko": "신경망 {n}개 중 {k}개가 발산했습니다 (곡선은 거기서 멈춥니다). 더 낮은 학습률을 써 보세요."},
    "robust.stuck_title": {"en": "Stuck seeds", "ko": "갇힌 시드"},
    "robust.stuck_intro": {"en": "Open one on the Train page to see where it stopped and why: ",
                           "ko": "학습 페이지에서 열어 어디서 왜 멈췄는지 보세요: "},
    "robust.seed_link": {"en": "seed {seed}", "ko": "시드 {seed}"},
    "robust.cost": {"en": "cost {cost}", "ko": "비용 {cost}"},
    "robust.more": {"en": " … and {k} more", "ko": " … 외 {k}개"},
    "robust.all_solved": {"en": "Every one of the {n} seeds solved it.", "ko": "시드 {n}개 모두 풀었습니다."},
    # --- Presenter link builder ---
    "presenter.intro": {"en": "Build a link for the projector: the page, the current settings, large fonts, and the "
                              "controls to hide (TensorFlow Playground's `*_hide` idea). Students who open it see the "
                              "same view. {class_line}",
                        "ko": "프로젝터용 링크를 만드세요: 페이지, 현재 설정, 큰 글씨, 그리고 숨길 컨트롤 (TensorFlow "
                              "Playground의 `*_hide` 방식). 이 링크를 연 학생도 같은 화면을 봅니다. {class_line}"},
    "presenter.class_start": {"en": "For their pages to follow yours and answer your questions, **start a live class** "
                                    "at the bottom of this page.",
                              "ko": "학생 화면이 강의자 화면을 따라오고 질문에 답하게 하려면 이 페이지 맨 아래에서 "
                                    "**실시간 수업을 시작하세요**."},
    "presenter.class_on": {"en": "Your live class is running: the students' link below carries its code.",
                           "ko": "실시간 수업이 진행 중입니다: 아래의 학생용 링크에 수업 코드가 들어 있습니다."},
    "presenter.page": {"en": "Page", "ko": "페이지"},
    "presenter.hide_sidebar": {"en": "Hide the whole sidebar", "ko": "사이드바 전체 숨기기"},
    "presenter.hide_some": {"en": "Hide these controls", "ko": "숨길 컨트롤"},
    "presenter.link": {"en": "The presenter link:", "ko": "발표자 링크:"},
    "presenter.open": {"en": "Open it", "ko": "열기"},
    # --- Lesson ---
    "lesson.title": {"en": "Lesson: the lab, one click per step", "ko": "수업: 한 번에 한 단계씩 따라가는 실습"},
    "lesson.progress": {"en": "Step {i} of {n}", "ko": "{n}단계 중 {i}단계"},
    "lesson.back": {"en": "◀ Back", "ko": "◀ 이전"},
    "lesson.next": {"en": "Next ▶", "ko": "다음 ▶"},
    "lesson.apply": {"en": "Open in Train", "ko": "학습 페이지에서 열기"},
    "lesson.apply_help": {"en": "Sets the sidebar to this step's net and opens the Train page with it, where you can "
                                "change every setting and play the training.",
                          "ko": "사이드바를 이 단계의 신경망으로 맞추고 학습 페이지에서 엽니다. 거기서 모든 설정을 "
                                "바꾸고 학습 과정을 재생해 볼 수 있습니다."},
    "lesson.end": {"en": "**That is the whole lab.** Where to go from here:",
                   "ko": "**실습을 모두 마쳤습니다.** 다음에 해 볼 것:"},
    "lesson.end.train": {"en": "Train: build your own net in the sidebar and play its training",
                         "ko": "학습: 사이드바에서 신경망을 직접 만들고 학습 과정을 재생해 보기"},
    "lesson.end.chain": {"en": "Chain rule: one update at a time, every number of the forward and backward pass",
                         "ko": "연쇄 법칙: 갱신을 한 번씩 따라가며 순전파와 역전파의 모든 숫자 보기"},
    "lesson.end.map": {"en": "Map: at which learning rates and widths a net learns, over many seeds",
                       "ko": "설정 격자: 어떤 학습률과 너비에서 신경망이 학습되는지 여러 시드로 보기"},
    "lesson.end.robust": {"en": "Robustness: from how many starting weights a net learns, and where the rest get stuck",
                          "ko": "시드별 안정성: 여러 시작 가중치 가운데 몇 개에서 학습이 되고, 나머지는 어디서 "
                                "멈추는지 보기"},
    "lesson.end.compare": {"en": "Compare: pin runs and lay their curves over each other",
                           "ko": "비교: 실행을 고정해 두고 곡선을 겹쳐 보기"},
    "lesson.1.title": {"en": "1. One layer cannot learn XOR", "ko": "1. 층 하나로는 XOR을 배울 수 없다"},
    "lesson.1.text": {"en": "With no hidden layer the net is a single logistic unit: one straight line through the "
                            "input square. No line puts (0,1) and (1,0) on one side and (0,0) and (1,1) on the other, "
                            "so the best it can do is ŷ = 0.5 everywhere: **the cost falls to ln 2 ≈ 0.69 within a few steps "
                            "and stays there**.",
                      "ko": "은닉층이 없으면 신경망은 로지스틱 유닛 하나, 즉 입력 정사각형을 가르는 직선 하나입니다. "
                            "(0,1)과 (1,0)을 한쪽에, (0,0)과 (1,1)을 다른 쪽에 두는 직선은 없으므로 최선은 어디서나 "
                            "ŷ = 0.5입니다. **비용은 몇 스텝 만에 ln 2 ≈ 0.69로 내려가 거기에 머뭅니다**."},
    "lesson.2.title": {"en": "2. 2-2-1 with the hand-written chain rule", "ko": "2. 직접 구현한 연쇄 법칙으로 학습한 2-2-1"},
    "lesson.2.text": {"en": "Add one hidden layer of two sigmoid units and train it with the back-propagation written "
                            "out by hand, as in the lab's first cell. The cost sits on a **plateau** near ln 2 for a "
                            "while (every ŷ is near ½, where the four points' pulls nearly cancel, so the gradients are "
                            "small: for most of the plateau a hundredth of those in the drop, or less), **then drops** "
                            "as the two hidden units specialise.",
                      "ko": "시그모이드 유닛 두 개짜리 은닉층을 하나 더하고, 실습의 첫 셀처럼 직접 구현한 역전파로 학습합니다. "
                            "비용은 한동안 ln 2 근처의 **정체 구간**에 머물다가 (모든 ŷ가 ½ 근처라서 네 점이 당기는 힘이 거의 "
                            "상쇄되므로 기울기가 작습니다. 정체 구간 대부분에서 비용이 떨어질 때의 100분의 1 이하입니다) 두 은닉 유닛이 각자 "
                            "역할을 맡으면서 **뚝 떨어집니다**."},
    "lesson.3.title": {"en": "3. The same net with torch.nn and autograd", "ko": "3. 같은 신경망을 torch.nn과 autograd로"},
    "lesson.3.text": {"en": "The lab's second cell builds the same net from `nn.Linear`, `nn.Sigmoid`, `BCELoss` and "
                            "`optim.SGD(lr=1)` and lets `loss.backward()` find the gradients. From the same starting "
                            "weights the two curves **lie on top of each other** (autograd's is dashed over the wide "
                            "hand-written one; their largest difference is below, float32 rounding): the "
                            "hand-written chain rule is what autograd computes.",
                      "ko": "실습의 두 번째 셀은 같은 신경망을 `nn.Linear`, `nn.Sigmoid`, `BCELoss`, `optim.SGD(lr=1)`로 "
                            "만들고 `loss.backward()`가 기울기를 구하게 합니다. 같은 초기 가중치에서 두 곡선은 "
                            "**서로 겹칩니다** (직접 구현한 쪽의 굵은 곡선 위에 autograd 곡선을 점선으로 그렸고, 최대 차이는 "
                            "아래에 있습니다: float32 반올림 오차): 직접 구현한 연쇄 법칙이 바로 autograd가 계산하는 "
                            "것입니다."},
    "lesson.4.title": {"en": "4. 2-10-10-10-1: deeper falls further", "ko": "4. 2-10-10-10-1: 깊을수록 더 내려간다"},
    "lesson.4.text": {"en": "The lab's last cell stacks three hidden layers of ten units. In the same 10,001 steps "
                            "its cost ends **about ten times lower** than the 2-2-1 net's, after a longer plateau. "
                            "Just after step 3,000, as it leaves the plateau, its cost jumps within a few steps "
                            "from about 0.4 to about 1.5 and falls back at once: the gradients there are the largest of the "
                            "run (the spike in the right chart), and one step of lr 1 along them overshoots.",
                      "ko": "실습의 마지막 셀은 유닛 열 개짜리 은닉층 세 개를 쌓습니다. 같은 10,001 스텝에서 더 긴 정체 구간을 "
                            "지난 뒤 비용이 2-2-1보다 **약 열 배 낮게** 끝납니다. 정체 구간을 벗어나는 3,000스텝 직후에는 "
                            "비용이 몇 스텝 만에 약 0.4에서 약 1.5로 튀었다가 곧바로 다시 떨어집니다. 그 근처의 기울기가 학습 "
                            "전체에서 가장 커서(오른쪽 차트의 뾰족한 부분) 학습률 1로 한 스텝만 가도 지나치게 멀리 가기 "
                            "때문입니다."},
    "lesson.5.title": {"en": "5. Why: gradient sizes per layer", "ko": "5. 왜 그럴까: 층별 기울기 크기"},
    "lesson.5.text": {"en": "σ′ is at most 1/4, and the chain rule multiplies one σ′ per layer on the way back, so in "
                            "a deep sigmoid net **the layers near the input get the smallest gradients** (here 6 "
                            "hidden layers: compare layer 1 with the output layer at step 0). With relu, whose "
                            "derivative is 1 where it is active, the gradients stay much closer in size. (The relu net "
                            "trains at learning rate 0.1, the sigmoid net at the lab's 1: at 1, within about 150 steps one "
                            "of this net's layers dies whole, every relu in it giving 0 at every point; from then on "
                            "every weight gradient is exactly 0 and the cost stays at ln 2.)",
                      "ko": "σ′는 최대 1/4이고, 연쇄 법칙은 거꾸로 가면서 층마다 σ′를 하나씩 곱하므로 깊은 시그모이드 "
                            "신경망에서는 **입력 가까운 층의 기울기가 가장 작습니다** (여기서는 은닉층 6개: 0번째 스텝에서 1층과 "
                            "출력층을 비교해 보세요). 활성 구간에서 미분이 1인 relu에서는 기울기 크기가 훨씬 비슷하게 "
                            "유지됩니다. (relu 신경망은 학습률 0.1로, 시그모이드 신경망은 실습대로 1로 학습합니다: 학습률 "
                            "1에서는 약 150 스텝 안에 이 신경망의 한 층이 통째로 죽어 그 층의 모든 relu가 모든 점에서 0을 "
                            "내보냅니다. 그때부터 모든 가중치 기울기가 정확히 0이고 비용은 ln 2에 머뭅니다.)"},
    "lesson.6.title": {"en": "6. The lab's own bugs, as lessons", "ko": "6. 실습 코드의 버그에서 배우기"},
    "lesson.6.text": {"en": "The first cell never initialises its weights: `torch.Tensor(2, 2)` holds whatever bytes "
                            "that memory held, and nobody can know them now. **What is known:** its printed log (the "
                            "markers) sat at exactly 0.6931471824645996, ln 2 in float32, for about 600 steps, then "
                            "escaped (0.6412 at step 900, 0.2531 at 1000, 0.0313 at 1100, 0.00038 at 9200). **What is "
                            "not:** the weights that did it, nor its `learning_rate`, which the cell never defines. "
                            "Exactly **zero weights** never escape (the zero-init curve here: every hidden unit "
                            "identical, every gradient exactly 0, a saddle point). With that cell's rules at learning "
                            "rate 1, tiny random weights (about 0.001–0.01) stayed at ln 2 for all 3,000 steps we "
                            "ran; of larger ones (about 0.1) only some escape, and late (12 of 64 draws within 3,000 "
                            "steps, the first at step 809), and none of those sits at exactly ln 2 for its first 600 "
                            "steps as the printed log does. The cell also **sums the weight gradients over the batch "
                            "but averages the bias gradients**: its weight steps are N = 4 times what its learning "
                            "rate says.",
                      "ko": "첫 셀은 가중치를 초기화하지 않습니다: `torch.Tensor(2, 2)`에는 그 메모리에 있던 바이트가 "
                            "그대로 들어 있고, 지금은 아무도 그 값을 알 수 없습니다. **알려진 것:** 출력된 로그(표시)는 "
                            "약 600 스텝 동안 정확히 0.6931471824645996, 즉 float32의 ln 2에 머물다가 빠져나왔습니다 "
                            "(900 스텝에서 0.6412, 1000에서 0.2531, 1100에서 0.0313, 9200에서 0.00038). **알 수 없는 "
                            "것:** 그렇게 만든 가중치와, 셀에서 정의하지 않은 `learning_rate`의 값입니다. 가중치가 정확히 "
                            "**0**이면 결코 빠져나오지 못합니다 (여기의 0 초기화 곡선: 모든 은닉 유닛이 똑같고 모든 "
                            "기울기가 정확히 0인 안장점). 그 셀의 규칙과 학습률 1로 시험해 보면, 아주 작은 무작위 가중치"
                            "(약 0.001–0.01)는 3,000 스텝 내내 ln 2에 머물렀고, 더 큰 가중치(약 0.1)는 일부만 늦게 "
                            "빠져나왔습니다 (64번 중 12번이 3,000 스텝 안에, 가장 빠른 것이 809 스텝에서). 게다가 "
                            "빠져나온 것 중 어느 것도 출력된 로그처럼 처음 600 스텝 동안 정확히 ln 2에 머물지 "
                            "않았습니다. 이 셀은 또 **가중치 "
                            "기울기는 배치에 대해 합하고 편향 기울기는 평균**하므로, 가중치의 보폭이 학습률이 정한 것의 "
                            "N = 4배입니다."},
    "lesson.7.title": {"en": "7. What the hidden units do", "ko": "7. 은닉 유닛이 하는 일"},
    "lesson.7.text": {"en": "Open the notebook's trained 2-2-1 net and look at each unit over the input plane (orange "
                            "high, blue low). Each hidden unit draws one straight line, a perceptron of its own, so it "
                            "computes a logic function of x₁ and x₂ that one line can separate. The output combines the "
                            "two, and the combination is XOR. The names below are read off the trained weights: each "
                            "unit's value at the four points, rounded at ½.",
                      "ko": "노트북이 학습시킨 2-2-1 신경망을 열어 입력 평면 위의 유닛을 하나씩 봅니다 (주황은 높음, "
                            "파랑은 낮음). 은닉 유닛은 저마다 직선 하나를 긋는 퍼셉트론이므로, 직선 하나로 가를 수 있는 "
                            "x₁, x₂의 논리 함수를 계산합니다. 출력 유닛이 그 둘을 합치면 XOR이 됩니다. 아래의 이름은 "
                            "학습된 가중치에서 읽어 낸 것입니다: 네 점에서 각 유닛의 값을 ½에서 반올림했습니다."},
    "lesson.units_sentence": {"en": "**Hidden unit 1** computes {h1}. **Hidden unit 2** computes {h2}. **The output** "
                                    "computes {out}, where h₁ and h₂ are the hidden units. Together the net computes "
                                    "{net}.",
                              "ko": "**은닉 유닛 1**의 계산: {h1}. **은닉 유닛 2**의 계산: {h2}. **출력 유닛**의 계산: "
                                    "{out} (h₁, h₂는 두 은닉 유닛의 값). 신경망 전체로는 {net}입니다."},
    "lesson.units_hidden": {"en": "The hidden units h₁, h₂ over the input plane", "ko": "입력 평면 위의 은닉 유닛 h₁, h₂"},
    "lesson.units_output": {"en": "The output ŷ", "ko": "출력 ŷ"},
    "lesson.units_caption": {"en": "Rows: the four XOR points. Each value is the unit's output there; after the arrow, "
                                   "rounded at ½. That truth table names the unit.",
                             "ko": "행은 XOR의 네 점입니다. 각 값은 그 점에서 유닛이 내는 값이고, 화살표 뒤는 ½에서 "
                                   "반올림한 값입니다. 이 진리표가 유닛의 이름을 정합니다."},
    "lesson.8.title": {"en": "8. The other way out: a feature cross", "ko": "8. 또 다른 길: 특성 교차"},
    "lesson.8.text": {"en": "Step 1's perceptron draws one straight line and fails. TensorFlow Playground's other "
                            "answer needs no hidden layer: give the unit a third input, the product x₁x₂. On the four "
                            "points XOR = x₁ + x₂ − 2·x₁x₂, so one unit with weights on x₁, x₂ and x₁x₂ separates it. "
                            "Below: the plain perceptron beside the crossed one, the crossed one's decision boundary "
                            "(no longer a straight line in the x₁, x₂ plane) and the weights it learned.",
                      "ko": "1단계의 퍼셉트론은 직선 하나만 그을 수 있어서 실패합니다. TensorFlow Playground의 또 다른 "
                            "답은 은닉층이 필요 없습니다: 유닛에 세 번째 입력으로 곱 x₁x₂를 주는 것입니다. 네 점에서 "
                            "XOR = x₁ + x₂ − 2·x₁x₂이므로, x₁, x₂, x₁x₂에 가중치를 두는 유닛 하나로 XOR을 가를 수 "
                            "있습니다. 아래는 보통 퍼셉트론과 교차 특성을 쓴 퍼셉트론의 비교, 교차 특성 퍼셉트론의 결정 "
                            "경계(x₁, x₂ 평면에서 더 이상 직선이 아닙니다), 그리고 학습된 가중치입니다."},
    "lesson.cross_weights": {"en": "**Learned:** {formula}  \nFinal cost {cost}. ŷ at (0,0), (0,1), (1,0), (1,1): "
                                   "{values} {solved}",
                             "ko": "**학습된 식:** {formula}  \n마지막 비용 {cost}. (0,0), (0,1), (1,0), (1,1)에서의 ŷ: "
                                   "{values} {solved}"},
    "lesson.9.title": {"en": "9. Why cross-entropy, not squared error", "ko": "9. 제곱 오차가 아니라 교차 엔트로피인 이유"},
    "lesson.9.text": {"en": "The lab trains on cross-entropy (`BCELoss`); TensorFlow Playground on squared error. The "
                            "chain rule shows the difference in its first line: with cross-entropy after a sigmoid, "
                            "δ_L = (ŷ − y)/N, as large as the error; with squared error δ_L = 2(ŷ − y)/N · ŷ(1 − ŷ). "
                            "That factor does two things. Where an output is confidently wrong (ŷ near 0 or 1) it is "
                            "near 0, so that point barely pulls at all. And at the start, where every ŷ ≈ ½, it is ¼: "
                            "squared error's steps are then half of cross-entropy's, as if cross-entropy ran at half "
                            "the learning rate. Below: the lab's 2-2-1 net on each (the right chart is each layer's "
                            "gradient), then the comparison over many seeds, with cross-entropy at half the rate "
                            "beside them.",
                      "ko": "실습은 교차 엔트로피(`BCELoss`)로, TensorFlow Playground는 제곱 오차로 학습합니다. 차이는 "
                            "연쇄 법칙의 첫 줄에 있습니다. 시그모이드 뒤의 교차 엔트로피에서는 δ_L = (ŷ − y)/N으로 "
                            "오차만큼 크지만, 제곱 오차에서는 δ_L = 2(ŷ − y)/N · ŷ(1 − ŷ)입니다. 이 곱하기 항은 두 가지 "
                            "일을 합니다. 출력이 자신 있게 틀린 곳(ŷ가 0이나 1 근처)에서는 0에 가까워서 그 점이 거의 "
                            "당기지 못합니다. 그리고 모든 ŷ가 ½ 근처인 처음에는 ¼이라서, 제곱 오차의 보폭은 교차 "
                            "엔트로피의 절반, 즉 학습률을 절반으로 줄인 교차 엔트로피와 같습니다. 아래는 실습의 2-2-1 "
                            "신경망을 두 비용으로 각각 학습한 결과(오른쪽은 층별 기울기)와, 여러 시드에 걸친 비교에 "
                            "학습률을 절반으로 줄인 교차 엔트로피를 더한 것입니다."},
    "lesson.ce_measured": {"en": "**Over {n} seeds** (10,001 steps, lr 1): the cost leaves its starting plateau (falls "
                                 "below 80 % of its step-0 value) after a median of **{bce_plateau} steps with "
                                 "cross-entropy** and **{mse_plateau} with squared error**. Solved (as on Robustness: a cost "
                                 "below {bce_cost} with cross-entropy, {mse_cost} with squared error, and every point right): "
                                 "cross-entropy {bce_solved} of {n}, in a median of {bce} steps; "
                                 "squared error {mse_solved} of {n}, in a median of {mse}.",
                           "ko": "**시드 {n}개에서** (10,001 스텝, 학습률 1): 비용이 처음의 정체 구간을 벗어나는 데 (0 "
                                 "스텝 값의 80 % 아래로 내려가는 데) 걸린 스텝의 중앙값은 **교차 엔트로피 {bce_plateau}**, "
                                 "**제곱 오차 {mse_plateau}**입니다. 문제를 푼 시드(시드별 안정성과 같은 기준: 비용이 교차 엔트로피로 {bce_cost}, 제곱 오차로 {mse_cost} 미만이고 모든 점을 맞힘)는 교차 "
                                 "엔트로피가 {n}개 중 {bce_solved}개(중앙값 {bce} 스텝), 제곱 오차가 {n}개 중 "
                                 "{mse_solved}개(중앙값 {mse} 스텝)입니다."},
    "lesson.ce_half": {"en": "**Cross-entropy at half the rate** (lr {lr}) leaves its plateau after a median of "
                             "**{plateau} steps** and solves {solved} of {n} (median {median}): about as slow as "
                             "squared error at lr 1, so from these nets' start the factor ŷ(1 − ŷ) mostly halves the "
                             "step.",
                       "ko": "**학습률을 절반({lr})으로 줄인 교차 엔트로피**는 중앙값 **{plateau} 스텝** 뒤에 정체 "
                             "구간을 벗어나고 {n}개 중 {solved}개를 해결합니다(중앙값 {median} 스텝). 학습률 1의 제곱 "
                             "오차와 비슷하게 느리므로, 이 신경망들이 시작하는 곳에서는 ŷ(1 − ŷ)가 주로 보폭을 절반으로 "
                             "줄입니다."},
    "lesson.run_plain": {"en": "perceptron on x₁, x₂", "ko": "x₁, x₂만 쓰는 퍼셉트론"},
    "lesson.run_cross": {"en": "perceptron on x₁, x₂, x₁x₂", "ko": "x₁, x₂, x₁x₂를 쓰는 퍼셉트론"},
    "lesson.run_manual": {"en": "hand-written chain rule", "ko": "직접 구현한 연쇄 법칙"},
    "lesson.run_autograd": {"en": "torch.nn + autograd", "ko": "torch.nn + autograd"},
    "lesson.run_221": {"en": "2-2-1", "ko": "2-2-1"},
    "lesson.run_deep": {"en": "2-10-10-10-1", "ko": "2-10-10-10-1"},
    "lesson.run_sigmoid6": {"en": "6 sigmoid layers, lr 1", "ko": "시그모이드 6층, 학습률 1"},
    "lesson.run_relu6": {"en": "6 relu layers, lr 0.1", "ko": "relu 6층, 학습률 0.1"},
    "lesson.hand_written_log": {"en": "notebook's log (hand-written cell, weights uninitialised)",
                                "ko": "노트북 로그 (직접 구현한 셀, 가중치 초기화 안 함)"},
    "lesson.notebook_caption": {"en": "The markers are the numbers your notebook printed: this is the very net of "
                                      "its nn cell (the second 2-2-1 net drawn after torch.manual_seed(777): the cell "
                                      "had been run once before), trained again here.",
                                "ko": "곡선 위의 표시는 여러분의 노트북이 출력한 숫자입니다: 노트북 nn 셀의 바로 그 신경망(셀이 한 번 "
                                      "먼저 실행되었으므로 torch.manual_seed(777) 뒤의 두 번째 2-2-1 신경망)을 여기서 다시 "
                                      "학습한 곡선입니다."},
    "lesson.notebook_caption_deep": {"en": "The markers are the numbers your notebook printed: these are the very "
                                           "nets of its nn cells, trained again here. The 2-2-1 net is the second drawn "
                                           "after torch.manual_seed(777) (the cell had been run once before), the "
                                           "2-10-10-10-1 net the third.",
                                     "ko": "곡선 위의 표시는 여러분의 노트북이 출력한 숫자입니다: 노트북 nn 셀들의 바로 그 신경망을 "
                                           "여기서 다시 학습한 곡선입니다. 2-2-1 신경망은 torch.manual_seed(777) 뒤의 "
                                           "두 번째 신경망(셀이 한 번 먼저 실행되었으므로), 2-10-10-10-1 신경망은 세 "
                                           "번째입니다."},
    "lesson.run_zero": {"en": "zero init", "ko": "0 초기화"},
    "lesson.run_lab": {"en": "lab's gradient convention", "ko": "실습의 기울기 규칙"},
    "lesson.run_mean": {"en": "correct mean", "ko": "올바른 평균"},
    "lesson.identical": {"en": "Largest difference between the two curves: {diff}", "ko": "두 곡선의 최대 차이: {diff}"},
    # --- chart texts (ui/charts.py) ---
    "chart.step": {"en": "step", "ko": "스텝"},
    "chart.cost_title.bce": {"en": "Cost per step\n(cross-entropy)", "ko": "스텝별 비용\n(교차 엔트로피)"},
    "chart.cost_axis.bce": {"en": "cost (nats)", "ko": "비용 (nats)"},
    "chart.cost_test_subtitle": {"en": "solid: training points · dashed: held-out test points",
                                 "ko": "실선: 학습용 점 · 점선: 따로 떼어 둔 테스트 점"},
    "chart.cost_title.mse": {"en": "Cost per step\n(squared error)", "ko": "스텝별 비용\n(제곱 오차)"},
    "chart.cost_axis.mse": {"en": "cost", "ko": "비용"},
    "chart.cost_axis.mixed": {"en": "cost", "ko": "비용"},  # runs on different losses: no one unit
    "chart.cost_axis_log": {"en": "cost (nats, log)", "ko": "비용 (nats, 로그)"},
    "chart.grad_title": {"en": "Gradient size\nper layer ‖∂C/∂W‖", "ko": "층별 기울기 크기\n‖∂C/∂W‖"},
    "chart.grad_axis": {"en": "‖∂C/∂W‖ (log)", "ko": "‖∂C/∂W‖ (로그)"},
    "chart.layer_legend": {"en": "Linear layer", "ko": "선형 층"},
    "chart.notebook_log": {"en": "notebook's log", "ko": "노트북 로그"},
    "chart.zero_from": {"en": "exactly 0 from step {step}", "ko": "{step} 스텝부터 정확히 0"},
    # (a no-break space keeps "exactly 0" on one line where a chart's note is wrapped: ui.charts.wrapped)
    "chart.zero_from_layer": {"en": "{layer}: exactly\u00a00 from step {step}",
                              "ko": "{layer}: {step} 스텝부터 정확히\u00a00"},
    "chart.all_zero": {"en": "every gradient is exactly\u00a00 at every step",
                       "ko": "모든 스텝에서 모든 기울기가 정확히\u00a00"},
    "chart.layer": {"en": "layer {l}", "ko": "{l}층"},
    "chart.input_side": {"en": " (input side)", "ko": " (입력 쪽)"},
    "chart.input_short": {"en": " (input)", "ko": " (입력)"},
    "chart.output": {"en": " (output)", "ko": " (출력)"},
    "chart.input_output": {"en": " (input → output)", "ko": " (입력 → 출력)"},
    "chart.x1": {"en": "input x₁", "ko": "입력 x₁"},
    "chart.x2": {"en": "input x₂", "ko": "입력 x₂"},
    "chart.p1": {"en": "P(class 1)", "ko": "P(클래스 1)"},
    "chart.data": {"en": "data", "ko": "데이터"},
    "chart.class0": {"en": "class 0", "ko": "클래스 0"},
    "chart.data_shapes": {"en": "● class 0   ■ class 1", "ko": "● 클래스 0   ■ 클래스 1"},
    "chart.class1": {"en": "class 1", "ko": "클래스 1"},
    "chart.boundary": {"en": "Decision boundary", "ko": "결정 경계"},
    "chart.boundary_title": {"en": "Decision boundary at step {step}", "ko": "{step} 스텝의 결정 경계"},
    "chart.weight": {"en": "weight", "ko": "가중치"},
    "chart.positive": {"en": "positive", "ko": "양수"},
    "chart.negative": {"en": "negative", "ko": "음수"},
    "chart.net_title": {"en": "Network {arch}\nat step {step}", "ko": "신경망 {arch}\n{step} 스텝"},
    "chart.net_hover": {"en": "line width = |w|", "ko": "선 굵기 = |w|"},
    "chart.net_hidden_units": {"en": "line width = |w|\n{k} more units a layer\nnot drawn", "ko": "선 굵기 = |w|\n층마다 유닛 {k}개는\n그리지 않았습니다"},
    "chart.unit_input": {"en": "input {j}: {name}", "ko": "입력 {j}: {name}"},
    "chart.unit_output": {"en": "output, unit {j}", "ko": "출력, 유닛 {j}"},
    "chart.unit_hidden": {"en": "hidden layer {l}, unit {j}", "ko": "은닉층 {l}, 유닛 {j}"},
    "chart.bias": {"en": "bias", "ko": "편향"},
    "chart.compare_cost": {"en": "Cost per step", "ko": "스텝별 비용"},
    "chart.compare_grad": {"en": "‖∂C/∂W‖ of the first\nand the last layer", "ko": "첫 층과 마지막 층의\n‖∂C/∂W‖"},
    "chart.compare_grad_axis": {"en": "‖∂C/∂W‖ (log)", "ko": "‖∂C/∂W‖ (로그)"},
    "chart.pinned_run": {"en": "pinned run", "ko": "고정한 실행"},
    "chart.run": {"en": "run", "ko": "실행"},
    "chart.first_layer": {"en": "first layer (input side)", "ko": "첫 층 (입력 쪽)"},
    "chart.last_layer": {"en": "last layer (output)", "ko": "마지막 층 (출력)"},
    "chart.seed": {"en": "seed", "ko": "시드"},
    "chart.solved": {"en": "solved", "ko": "해결"},
    "chart.stuck": {"en": "stuck", "ko": "갇힘"},
    "chart.median_cost": {"en": "median cost", "ko": "비용 중앙값"},
    "chart.sweep_title": {"en": "Cost per step of {shown} of {n} seeds (faint) and the median of all (bold)", "ko": "시드 {n}개 중 {shown}개의 스텝별 비용 (흐리게)과 전체 중앙값 (굵게)"},
    "chart.solved_title": {"en": "Step at which a seed solved it\n({k} of {n} did)", "ko": "시드가 문제를 푼 스텝\n({n}개 중 {k}개)"},
    "chart.steps_to_solve": {"en": "steps to solve", "ko": "해결까지 걸린 스텝"},
    "chart.seeds": {"en": "seeds", "ko": "시드 수"},
    "chart.final_title": {"en": "Final cost of each seed", "ko": "시드별 최종 비용"},
    "chart.final_axis.bce": {"en": "final cost (nats, log)", "ko": "최종 비용 (nats, 로그)"},
    "chart.final_axis.mse": {"en": "final cost (log)", "ko": "최종 비용 (로그)"},
    "chart.profile_title": {"en": "‖∂C/∂W‖ of each layer at step {step}", "ko": "{step} 스텝에서 층별 ‖∂C/∂W‖"},
    "chart.plateau_title": {"en": "When the cost leaves its plateau, seed by seed (thick: the median)",
                            "ko": "시드별로 비용이 정체 구간을 벗어나는 스텝 (굵은 선: 중앙값)"},
    "chart.plateau_axis": {"en": "step at which the cost falls below 80 % of its start",
                           "ko": "비용이 처음 값의 80 % 아래로 내려가는 스텝"},
    "chart.median": {"en": "median", "ko": "중앙값"},
    "chart.net": {"en": "Network\n{arch}", "ko": "신경망\n{arch}"},
    "chart.unit_label": {"en": "unit {j}", "ko": "유닛 {j}"},
    "chart.unit_output_label": {"en": "output ŷ", "ko": "출력 ŷ"},
    "chart.unit_value": {"en": "value", "ko": "값"},
    "chart.unit_weights": {"en": "incoming weights", "ko": "들어오는 가중치"},
    "chart.unit_points": {"en": "at the points", "ko": "각 점에서"},
    "chart.unit_grad_title": {"en": "Who learns when: ‖∂C/∂w‖ of each unit", "ko": "누가 언제 배우나: 유닛별 ‖∂C/∂w‖"},
    "chart.unit_grad": {"en": "‖∂C/∂w‖ (log)", "ko": "‖∂C/∂w‖ (로그)"},
    "chart.unit_axis": {"en": "unit", "ko": "유닛"},
    "chart.net_legend": {"en": "net", "ko": "신경망"},
}

# Formulas set inline in a text never break across lines ("δ_L = (ŷ −" / "y)/N" read badly on the Lesson's step 9):
# each space in them becomes a no-break space, once, as the texts are loaded.
UNBROKEN = ("δ_L = 2(ŷ − y)/N · ŷ(1 − ŷ)", "δ_L = (ŷ − y)/N", "δ_L = (ŷ − y)·σ′", "δ_L = ŷ − y")


def _unbroken(text: str) -> str:
    for formula in UNBROKEN:
        text = text.replace(formula, formula.replace(" ", "\u00a0"))
    return text


TEXT = {key: {lang: _unbroken(text) for lang, text in entry.items()} for key, entry in TEXT.items()}


# --- Korean particles ---
# 을/를, 은/는, 이/가, 과/와 and 으로/로 depend on the word before them: whether it ends in a final consonant
# (batchim). A Korean entry writes both forms, e.g. "{name}을/를", and the one that fits the filled-in word
# is chosen here, so a note reads "너비는", "width=999를", "2를", never a bracketed fallback.

PARTICLES = {"을/를": ("을", "를"), "은/는": ("은", "는"), "이/가": ("이", "가"), "과/와": ("과", "와"),
             "으로/로": ("으로", "로")}
# How a digit or a Latin letter is read aloud in Korean: does that reading end in a final consonant,
# and is it ㄹ (which takes 로, not 으로)? 0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔; L 엘, M 엠, N 엔, R 알.
_CLOSED = {"0": "ㅇ", "1": "ㄹ", "3": "ㅁ", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ", "l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "ㄹ",
           "₁": "ㄹ"}  # x₁ is read 엑스 일 (x₂ 엑스 이: a vowel)
_QUIET = "'\"`’”)]}*_\\ "  # quotes, brackets and markdown after a word: look past them
_PATTERN = re.compile("(" + "|".join(re.escape(p) for p in PARTICLES) + ")")


def final_consonant(word: str):
    """'ㄹ', another truthy jamo mark, or '' for a word ending in a vowel (as read aloud in Korean)."""
    word = word.rstrip(_QUIET)
    if not word:
        return ""
    ch = word[-1]
    if "가" <= ch <= "힣":
        jong = (ord(ch) - ord("가")) % 28
        return "" if jong == 0 else ("ㄹ" if jong == 8 else "ㅇ")
    return _CLOSED.get(ch.lower(), "")


def attach_particles(text: str) -> str:
    """Replace each "을/를"-style pair with the form that fits the word right before it."""
    parts = _PATTERN.split(text)
    out = [parts[0]]
    for particle, rest in zip(parts[1::2], parts[2::2]):
        closed, open_ = PARTICLES[particle]
        jong = final_consonant(out[-1] if out[-1] else "".join(out))
        if particle == "으로/로":
            out.append(closed if jong and jong != "ㄹ" else open_)
        else:
            out.append(closed if jong else open_)
        out.append(rest)
    return "".join(out)


def _lookup(table: dict, key: str, lang: str = "en", **values) -> str:
    """The text for key in lang (English where lang is unknown), with {placeholders} filled in."""
    entry = table[key]
    text = entry.get(lang) or entry["en"]
    text = text.format(**values) if values else text
    return attach_particles(text) if lang == "ko" else text


def tr(key: str, lang: str = "en", **values) -> str:
    """The text for key in lang (English where lang is unknown), with {placeholders} filled in."""
    return _lookup(TEXT, key, lang, **values)
