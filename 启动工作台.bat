@echo off
chcp 65001 >nul
rem Start the clerks' desk (jixi-batch): a web page on this computer only (127.0.0.1).
cd /d "%~dp0"
if not exist ".venv\Scripts\python.exe" (
  echo 未找到 .venv\Scripts\python.exe，请先按 README 中“在不能上网的电脑上安装”一节安装。
  pause
  exit /b 1
)
echo 正在启动工作台，浏览器将自动打开；关闭本窗口即停止工作台。
".venv\Scripts\python.exe" process.py desk %*
pause
